"""Newsroom pages. Thin: who may do what is in permissions/workflow, every lookup of a
draft goes through ``drafts_for(user)`` so another ministry's draft is a 404."""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from pressroom.clientip import client_ip
from pressroom.releases import diffing
from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.representations import release_page_context

from . import dashboard, workflow
from .embargo import PreviewRefused, log_opening, open_preview, token_for
from .forms import (
    CorrectionForm,
    DraftForm,
    PreviewGrantForm,
    ScheduleForm,
    TaskForm,
    TranslationForm,
)
from .models import AuditEntry, Draft, PreviewGrant
from .permissions import drafts_for, is_press, ministries_for, officer_of, tasks_for

S = Draft.State


def officer_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("newsroom:login"))
        if officer_of(request.user) is None:
            raise PermissionDenied("Not a newsroom officer")
        return view(request, *args, **kwargs)
    return wrapped


def _draft_or_404(request, pk):
    return get_object_or_404(drafts_for(request.user).select_related(
        "ministry", "bureau", "language", "release"), pk=pk)


# --- Signing in -------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's sign-in. Failures are counted by django-axes (settings.AXES_*), in the
    database every server process shares, per username and client address; it throttles
    /admin/login/ the same way, and answers a locked-out sign-in with ``locked_out``."""

    template_name = "newsroom/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("newsroom:dashboard")


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in, on either sign-in page: 429, the form
    again with the reason, the password never checked."""
    from django.contrib.auth.forms import AuthenticationForm

    return render(request, LoginView.template_name, {
        "form": AuthenticationForm(request), "locked_out": True,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=settings.AXES_HTTP_RESPONSE_CODE)


def signin_username(request, credentials) -> str:
    """The name failures are counted under: as typed, trimmed, case folded (Django's
    usernames are case-sensitive, but `Media-Defence` must not get five more tries)."""
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return name.strip().lower()[:150]


class LogoutView(auth_views.LogoutView):
    next_page = "newsroom:login"


# --- Dashboard and audit ----------------------------------------------------------------


@require_safe
@officer_required
def dashboard_view(request):
    officer = officer_of(request.user)
    return render(request, "newsroom/dashboard.html", {
        "sections": dashboard.sections(request.user), "is_press": is_press(request.user),
        "is_translator": officer.is_translator})


@require_safe
@officer_required
def audit_log(request):
    entries = described(AuditEntry.objects.filter(draft__in=drafts_for(request.user).values("pk"))
                        .select_related("draft")[:200])
    return render(request, "newsroom/audit.html", {"entries": entries})


def described(entries):
    entries = list(entries)
    for e in entries:
        e.text = workflow.describe(e)
    return entries


# --- Drafts -----------------------------------------------------------------------------


@officer_required
def draft_new(request):
    form = DraftForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            draft = workflow.create_draft(request.user, fields=form.draft_fields())
        except workflow.TransitionError as e:
            raise PermissionDenied(str(e)) from e
        messages.success(request, _("Draft saved."))
        return redirect("newsroom:draft", pk=draft.pk)
    return render(request, "newsroom/draft_form.html", {"form": form, "new": True},
                  status=400 if form.errors else 200)


@require_safe
@officer_required
def draft_detail(request, pk):
    draft = _draft_or_404(request, pk)
    versions = list(draft.release.versions.select_related("language")) if draft.release else []
    behind = dashboard.behind_by_language(draft.release) if draft.release else {}
    for v in versions:
        v.behind = behind.get(v.language_id, False)
    grants = list(draft.previews.select_related("journalist").prefetch_related("openings"))
    for g in grants:
        g.url = request.build_absolute_uri(reverse("newsroom:embargo_preview",
                                                   args=[token_for(g)]))
    pending_rows = None
    if draft.pending_correction:
        live = LanguageVersion.objects.get(release_id=draft.release_id, is_original=True)
        proposed = workflow.store.content_fields(**{
            k: draft.pending_correction[k] for k in ("title", "subtitles", "body_html",
                                                     "sign_off")})
        pending_rows = diffing.side_by_side(diffing.text_of(live.content()),
                                            diffing.text_of(proposed))
    tasks = list(draft.tasks.select_related("language"))
    for task in tasks:
        task.behind = workflow.task_behind(task)
    return render(request, "newsroom/draft_detail.html", {
        "draft": draft, "actions": workflow.actions_for(request.user, draft), "tasks": tasks,
        "pending_rows": pending_rows,
        "may_approve_correction": bool(draft.pending_correction)
        and workflow.allowed(request.user, draft, "approve_correction")
        and draft.pending_by_id != request.user.pk,
        "can_edit": workflow.can_edit(request.user, draft),
        "can_translate": workflow.may_translate(request.user, draft),
        "embargo_open": draft.state in workflow.PREVIEWABLE,
        "is_press": is_press(request.user), "versions": versions, "grants": grants,
        "audit": described(draft.audit.all()[:50]), "schedule_form": ScheduleForm(),
        "grant_form": PreviewGrantForm(initial={
            "expires_at": timezone.localtime(draft.scheduled_for or timezone.now()
                                             + timedelta(days=2))
            .strftime("%Y-%m-%dT%H:%M")}),
        "now": timezone.now(),
    })


@officer_required
def draft_edit(request, pk):
    draft = _draft_or_404(request, pk)
    if not workflow.can_edit(request.user, draft):
        messages.error(request, _("A release that is “%(state)s” cannot be edited here.")
                       % {"state": draft.get_state_display()})
        return redirect("newsroom:draft", pk=draft.pk)
    if request.method != "POST":
        form = DraftForm(initial=DraftForm.initial_from(draft), user=request.user)
        return render(request, "newsroom/draft_form.html", {"form": form, "draft": draft})
    form = DraftForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "newsroom/draft_form.html", {"form": form, "draft": draft},
                      status=400)
    try:
        workflow.save_draft(request.user, draft.pk, fields=form.draft_fields(),
                            lock_version=form.cleaned_data["lock_version"] or 0)
    except workflow.EditConflict as conflict:
        # Keep what this person typed in the form; show what the other person saved.
        data = request.POST.copy()
        data["lock_version"] = conflict.current.lock_version
        return render(request, "newsroom/draft_form.html", {
            "form": DraftForm(data, user=request.user), "draft": draft,
            "conflict": conflict.current}, status=409)
    except workflow.TransitionError as e:
        messages.error(request, str(e))
        return redirect("newsroom:draft", pk=draft.pk)
    messages.success(request, _("Draft saved."))
    return redirect("newsroom:draft", pk=draft.pk)


@require_POST
@officer_required
def draft_action(request, pk, action):
    draft = _draft_or_404(request, pk)
    t = workflow.TRANSITIONS.get(action)
    if t is None or not t.button or action == "correct":
        raise Http404("No such action")
    when = None
    if action == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("when", [_("Give a date and time.")])))
            return redirect("newsroom:draft", pk=draft.pk)
        when = form.cleaned_data["when"]
    if t.grave and request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm: this cannot be undone."))
        return redirect("newsroom:draft", pk=draft.pk)
    try:
        workflow.transition(request.user, draft.pk, action,
                            reason=request.POST.get("reason", "")[:2000], when=when)
    except workflow.TransitionError as e:
        messages.error(request, str(e))
        return redirect("newsroom:draft", pk=draft.pk)
    messages.success(request, t.done)
    return redirect("newsroom:draft", pk=draft.pk)


def _preview_objects(draft):
    """Unsaved record objects shaped like the published page's, for the public template."""
    if draft.release_id:
        release = draft.release
    else:
        release = Release(release_id=0, ministry=draft.ministry, bureau=draft.bureau,
                          posted_at=draft.scheduled_for or timezone.now(),
                          original_language=draft.language, updated_at=timezone.now())
    fields = workflow.store.content_fields(title=draft.title or "(no title)",
                                           subtitles=draft.subtitles, body_html=draft.body_html,
                                           sign_off=draft.sign_off)
    version = LanguageVersion(release=release, language=draft.language, is_original=True,
                              updated_at=timezone.now(), **fields)
    return release, version


def render_public_page(request, draft, notice, status=200, back_url=None):
    release, version = _preview_objects(draft)
    from pressroom.website.media import add_to_context, preview_attachments, preview_photos

    context = release_page_context(request, release, version, [version], [], timezone.now(),
                                   preview_notice=notice, preview_back_url=back_url)
    add_to_context(context, request, photos=preview_photos(draft),
                   attachments=preview_attachments(draft))
    return render(request, "website/release_detail.html", context, status=status)


@require_safe
@officer_required
def draft_preview(request, pk):
    draft = _draft_or_404(request, pk)
    return render_public_page(request, draft, _("Preview: this is how the release will look. "
                                                "The Release ID is given at publication."),
                              back_url=reverse("newsroom:draft", args=[draft.pk]))


@officer_required
def draft_correct(request, pk):
    """A correction: previewed as the public page's text with a word-level diff against the
    live text, then published (minor) or sent for a second press officer's approval (major)."""
    draft = _draft_or_404(request, pk)
    if not workflow.allowed(request.user, draft, "correct"):
        messages.error(request, _("Only press officers correct published releases."))
        return redirect("newsroom:draft", pk=draft.pk)
    form = CorrectionForm(request.POST or None, initial={
        "title": draft.title, "subtitles": draft.subtitles, "body_html": draft.body_html,
        "sign_off": draft.sign_off})
    rows, fingerprint = None, ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        correction = {k: d[k] for k in ("title", "subtitles", "body_html", "sign_off")}
        fingerprint = form.fingerprint()
        if "publish" in request.POST and d["previewed"] == fingerprint:
            action = "propose_correction" if d["major"] else "correct"
            try:
                workflow.transition(request.user, draft.pk, action, reason=d["note"],
                                    correction=correction)
            except workflow.TransitionError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, workflow.TRANSITIONS[action].done)
                return redirect("newsroom:draft", pk=draft.pk)
        live = LanguageVersion.objects.get(release_id=draft.release_id, is_original=True)
        proposed = workflow.store.content_fields(**correction)
        rows = diffing.side_by_side(diffing.text_of(live.content()), diffing.text_of(proposed))
        data = request.POST.copy()
        data["previewed"] = fingerprint
        form = CorrectionForm(data)
        form.is_valid()
    return render(request, "newsroom/correct.html", {
        "form": form, "draft": draft, "rows": rows, "fingerprint": fingerprint},
        status=400 if form.errors else 200)


@require_POST
@officer_required
def correction_decision(request, pk, action):
    draft = _draft_or_404(request, pk)
    if action not in ("approve_correction", "discard_correction"):
        raise Http404("No such action")
    try:
        workflow.transition(request.user, draft.pk, action,
                            reason=request.POST.get("reason", "")[:2000])
    except workflow.TransitionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, workflow.TRANSITIONS[action].done)
    return redirect("newsroom:draft", pk=draft.pk)


@officer_required
def draft_translate(request, pk):
    draft = _draft_or_404(request, pk)
    if not workflow.may_translate(request.user, draft):
        messages.error(request, _("Translations are added to a published release that is not "
                                  "withdrawn or removed, by its press officers."))
        return redirect("newsroom:draft", pk=draft.pk)
    initial = {}
    lang = request.GET.get("lang", "")[:8]
    existing = draft.release.versions.filter(language_id=lang, is_original=False).first()
    if existing:
        initial = {"language": existing.language_id, "title": existing.title,
                   "subtitles": existing.subtitles, "body_html": existing.body_html,
                   "sign_off": existing.sign_off}
    form = TranslationForm(request.POST or None, initial=initial,
                           original_language=draft.release.original_language_id)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            fields = workflow.store.content_fields(
                title=d["title"], subtitles=d["subtitles"], body_html=d["body_html"],
                sign_off=d["sign_off"])
            workflow.translate(request.user, draft, language=d["language"].code, fields=fields,
                               note=d["note"])
        except (workflow.TransitionError, workflow.store.RecordError) as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("%(language)s version saved.") % {"language": d["language"].name})
            return redirect("newsroom:draft", pk=draft.pk)
    original = draft.release.versions.filter(is_original=True).first()
    return render(request, "newsroom/translate.html", {
        "form": form, "draft": draft, "existing": existing, "original": original},
        status=400 if form.errors else 200)


@require_POST
@officer_required
def release_open(request):
    """Take a published release (imported ones too) into the newsroom by its Release ID."""
    raw = request.POST.get("release_id", "").strip()
    release = (Release.objects.filter(pk=int(raw), ministry__in=ministries_for(request.user))
               .first() if raw.isdigit() and len(raw) < 19 else None)
    if release is None:
        messages.error(request, _("No release “%(id)s” that you work on.") % {"id": raw[:20]})
        return redirect("newsroom:dashboard")
    try:
        draft = workflow.adopt(request.user, release)
    except workflow.TransitionError as e:
        messages.error(request, str(e))
        return redirect("newsroom:dashboard")
    return redirect("newsroom:draft", pk=draft.pk)


# --- Embargo ----------------------------------------------------------------------------


@require_POST
@officer_required
def preview_grant(request, pk):
    draft = _draft_or_404(request, pk)
    if not is_press(request.user):
        raise PermissionDenied("Only press officers share embargoed previews")
    form = PreviewGrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("newsroom:draft", pk=draft.pk)
    try:
        grant = workflow.share_preview(request.user, draft, **form.cleaned_data)
    except workflow.TransitionError as e:
        messages.error(request, str(e))
        return redirect("newsroom:draft", pk=draft.pk)
    messages.success(request, _("Preview link made for %(name)s.") % {"name": grant.journalist})
    return redirect("newsroom:draft", pk=draft.pk)


@require_POST
@officer_required
def preview_revoke(request, pk, grant_id):
    draft = _draft_or_404(request, pk)
    if not is_press(request.user):
        raise PermissionDenied("Only press officers manage previews")
    get_object_or_404(PreviewGrant, pk=grant_id, draft=draft)
    try:
        workflow.revoke_preview(request.user, draft, grant_id)
    except workflow.TransitionError as e:
        messages.error(request, str(e))
    return redirect("newsroom:draft", pk=draft.pk)


@require_safe
def embargo_preview(request, token):
    """A journalist's personal link: no sign-in, logged on every opening."""
    try:
        grant = open_preview(token)
    except PreviewRefused as e:
        return render(request, "newsroom/preview_refused.html", {"message": str(e)},
                      status=e.status)
    draft = grant.draft
    shown = workflow.preview_state(draft)
    if shown == workflow.PUBLIC:
        return redirect(draft.release.get_absolute_url())
    if shown == workflow.CLOSED:
        return render(request, "newsroom/preview_refused.html",
                      {"message": _("This release is not available for preview.")}, status=410)
    # Only openings under embargo are embargo openings; after publication the link is
    # just a way to the public page.
    log_opening(grant, ip=client_ip(request) or None,
                user_agent=request.headers.get("User-Agent", ""))
    if draft.scheduled_for:
        notice = _("EMBARGOED: not for publication or broadcast before %(until)s. "
                   "Personal preview for %(name)s.") % {
            "until": date_format(timezone.localtime(draft.scheduled_for), "j F Y, H:i") + " IST",
            "name": grant.journalist.name}
    else:
        notice = _("EMBARGOED: not for publication or broadcast until further notice. "
                   "Personal preview for %(name)s.") % {"name": grant.journalist.name}
    response = render_public_page(request, draft, notice)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response



# --- Translation tasks ---------------------------------------------------------------------


def _task_or_404(request, pk):
    return get_object_or_404(tasks_for(request.user).select_related(
        "draft__ministry", "draft__bureau", "draft__language", "draft__release", "language"),
        pk=pk)


@officer_required
def task_detail(request, pk):
    """A translator's page: the original beside the form, and what changed in the original
    (paragraph by paragraph) since this translation was drafted."""
    task = _task_or_404(request, pk)
    user = request.user
    form = TaskForm(request.POST or None, initial={
        "title": task.title, "subtitles": task.subtitles, "body_html": task.body_html,
        "sign_off": task.sign_off})
    if request.method == "POST":
        if not workflow.task_allowed(user, task, "save_translation"):
            raise Http404("Not yours to translate")
        if form.is_valid():
            try:
                workflow.task_transition(user, task.pk, "save_translation",
                                         fields=form.cleaned_data)
            except workflow.TransitionError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, workflow.TASK_TRANSITIONS["save_translation"].done)
                return redirect("newsroom:task", pk=task.pk)
    original = workflow.original_content(task.draft)
    changes = []
    if workflow.task_behind(task):
        changes = diffing.changed_paragraphs(diffing.text_of(task.source),
                                             diffing.text_of(original))
    return render(request, "newsroom/task.html", {
        "task": task, "form": form, "original": task.draft, "changes": changes,
        "behind": bool(changes),
        "can_save": workflow.task_allowed(user, task, "save_translation"),
        "can_review": workflow.task_allowed(user, task, "approve_translation"),
    }, status=400 if form.errors else 200)


@require_POST
@officer_required
def task_action(request, pk, action):
    task = _task_or_404(request, pk)
    t = workflow.TASK_TRANSITIONS.get(action)
    if t is None or action == "save_translation":
        raise Http404("No such action")
    try:
        workflow.task_transition(request.user, task.pk, action,
                                 reason=request.POST.get("reason", "")[:2000])
    except workflow.TransitionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, t.done)
    return redirect("newsroom:task", pk=task.pk)
