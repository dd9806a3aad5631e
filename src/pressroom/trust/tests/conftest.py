import pytest


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    """Each test signs with keys of its own, in a folder of its own."""
    from pressroom.trust import keys

    settings.PRESSROOM = {**settings.PRESSROOM, "SIGNING_KEY_DIR": str(tmp_path / "keys"),
                          "SIGNING_KEY": "", "SIGNING_KEY_FILE": ""}
    keys._loaded.clear()
    yield tmp_path / "keys"
    keys._loaded.clear()
