"""`pressroom createdemo-users`: people to try the newsroom with, from the README alone.

Makes (or resets) an administrator, a press officer for every ministry, a media officer for
each of two ministries and an accredited journalist. For trying out only: the password is
the same for all of them.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from pressroom.newsroom.models import Journalist, Officer
from pressroom.releases.models import Bureau, Ministry

DEMO_PASSWORD = "pressroom-demo"


class Command(BaseCommand):
    help = "Create demo newsroom users (admin, press, media-defence, media-finance)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD,
                            help=f"password for every demo user (default: {DEMO_PASSWORD})")

    @transaction.atomic
    def handle(self, *args, password, **options):
        defence = Ministry.objects.filter(name="Ministry of Defence").first() or \
            Ministry.objects.create(name="Ministry of Defence")
        finance = Ministry.objects.filter(name="Ministry of Finance").first() or \
            Ministry.objects.create(name="Ministry of Finance")
        if not Bureau.objects.filter(name="PIB Delhi").exists():
            Bureau.objects.create(name="PIB Delhi")
        User = get_user_model()

        def person(username, *, role=None, ministries=(), all_ministries=False, admin=False):
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = user.is_superuser = admin
            user.is_active = True
            user.set_password(password)
            user.save()
            if role:
                officer, _ = Officer.objects.update_or_create(
                    user=user, defaults={"role": role, "all_ministries": all_ministries})
                officer.ministries.set(ministries)
            return user

        person("admin", admin=True)
        person("press", role=Officer.Role.PRESS, all_ministries=True)
        person("media-defence", role=Officer.Role.MEDIA, ministries=[defence])
        person("media-finance", role=Officer.Role.MEDIA, ministries=[finance])
        Journalist.objects.get_or_create(email="journalist@example.in", defaults={
            "name": "Demo Journalist", "outlet": "Example Times", "accredited": True})
        rows = [("admin", "administrator: /admin/ (people, ministries, bureaus, journalists)"),
                ("press", "press officer, every ministry: review, publish, translate, correct"),
                ("media-defence", "media officer, Ministry of Defence: drafts"),
                ("media-finance", "media officer, Ministry of Finance: drafts")]
        self.stdout.write(f"Demo users (password {password!r}); sign in at /newsroom/login/")
        for username, what in rows:
            self.stdout.write(f"  {username:<14} {what}")
