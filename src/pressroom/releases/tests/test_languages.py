import pytest

from pressroom.releases.languages import guess_language, language_code


@pytest.mark.parametrize("text, code", [
    ("India and Kazakhstan", "en"), ("प्रधानमंत्री ने श्रद्धांजलि अर्पित की", "hi"),
    ("وزیر اعظم نے خراج عقیدت پیش کیا", "ur"), ("பிரதமர் மரியாதை செலுத்தினார்", "ta"),
    ("প্রধানমন্ত্রী শ্রদ্ধা জানিয়েছেন", "bn"), ("പ്രധാനമന്ത്രി", "ml"), ("", "en"),
])
def test_guess_language_by_script(text, code):
    assert guess_language(text) == code


@pytest.mark.parametrize("name, code", [("Hindi", "hi"), ("hindi", "hi"), ("hi", "hi"),
                                        ("Oriya", "or"), ("اردو", "ur"), ("Klingon", None)])
def test_language_code(name, code):
    assert language_code(name) == code


@pytest.mark.parametrize("typed, html, text", [
    ("First line.<div>Second line.</div><div>Third.</div>",
     "<p>First line.</p><p>Second line.</p><p>Third.</p>", "First line.\nSecond line.\nThird."),
    ("<p>Already a paragraph.</p><ul><li>one</li></ul>",
     "<p>Already a paragraph.</p><ul><li>one</li></ul>", "Already a paragraph.\none"),
    ("Just text", "<p>Just text</p>", "Just text"),
])
def test_editor_html_becomes_paragraphs(typed, html, text):
    from pressroom.releases.html import editor_paragraphs, html_to_text

    assert editor_paragraphs(typed) == html
    assert html_to_text(editor_paragraphs(typed)) == text
    assert html_to_text(typed) == text  # even unmended, text never runs lines together
