"""images.Image: uploaded once, described once, its renditions made on save and cropped around
its focal point; core/images.py's crop box."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image as Pillow

from core.images import crop_box
from images.models import Image
from tests.factories import ImageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def stored(name: str) -> Pillow.Image:
    with default_storage.open(name) as handle:
        image = Pillow.open(handle)
        image.load()
    return image


def test_saving_an_image_stores_its_size_and_makes_its_renditions():
    image = ImageFactory(file__width=1000, file__height=500)

    assert (image.width, image.height) == (1000, 500)
    assert sorted(image.renditions["widths"], key=int) == ["480", "800", "1000"]  # no upscaling
    assert stored(image.renditions["share"]).size == (1200, 630)
    assert image.srcset.count("w,") == 2 and image.srcset.endswith("1000w")
    assert image.thumbnail_url.endswith("-480.webp")


def test_an_untitled_image_takes_its_file_name_as_title():
    image = ImageFactory(title="", file__filename="caspian-port.png")

    assert image.title.startswith("caspian-port")
    assert str(image) == image.title


def test_renditions_are_not_made_again_when_only_the_text_changes(monkeypatch):
    image = ImageFactory()
    made = dict(image.renditions)
    monkeypatch.setattr("core.images.make_renditions", pytest.fail)

    image.alt = "Another description"
    image.credit = "Photo: Someone else"
    image.save()

    assert image.renditions == made


def test_moving_the_focal_point_makes_a_share_card_under_a_new_name():
    image = ImageFactory()
    centred = image.renditions["share"]

    image.focal_x, image.focal_y = 10, 80
    image.save()

    assert image.renditions["focus"] == [10, 80]
    assert image.renditions["share"] != centred
    assert image.renditions["share"].endswith("-share-10-80.jpg")
    assert stored(image.renditions["share"]).size == (1200, 630)


def test_the_share_card_is_cut_around_the_focal_point():
    """A tall image, dark at the top and light at the bottom: a focal point low down keeps the
    light part in the card, one high up the dark part."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile

    picture = Pillow.new("RGB", (600, 1200), "black")
    picture.paste(Pillow.new("RGB", (600, 600), "white"), (0, 600))
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    upload = SimpleUploadedFile("tall.png", buffer.getvalue(), content_type="image/png")

    image = Image.objects.create(file=upload, alt="Half and half", focal_x=50, focal_y=90)
    low = stored(image.renditions["share"]).convert("L").getpixel((600, 315))
    image.focal_y = 10
    image.save()
    high = stored(image.renditions["share"]).convert("L").getpixel((600, 315))

    assert low > 200 and high < 50


@pytest.mark.parametrize(
    ("size", "ratio", "focus", "box"),
    [
        ((1000, 1000), 2.0, None, (0, 250, 1000, 750)),  # the middle
        ((1000, 1000), 2.0, (50, 0), (0, 0, 1000, 500)),  # as high as it goes
        ((1000, 1000), 2.0, (50, 100), (0, 500, 1000, 1000)),  # as low as it goes
        ((2000, 500), 2.0, (90, 50), (1000, 0, 2000, 500)),  # kept inside on the right
        ((2000, 500), 2.0, (30, 50), (100, 0, 1100, 500)),  # centred where it can be
    ],
)
def test_the_crop_box_centres_the_focal_point_within_the_image(size, ratio, focus, box):
    assert crop_box(size, ratio, focus) == box


def test_a_focal_point_needs_both_coordinates():
    image = ImageFactory.build(focal_x=30, focal_y=None)

    with pytest.raises(ValidationError) as error:
        image.full_clean()

    assert "both coordinates" in str(error.value)


@pytest.mark.parametrize("value", [-1, 101, 500])
def test_a_focal_point_outside_the_image_is_refused(value):
    image = ImageFactory.build(focal_x=value, focal_y=50)

    with pytest.raises(ValidationError) as error:
        image.full_clean()

    assert "focal_x" in error.value.message_dict


def test_an_image_needs_a_description():
    image = ImageFactory.build(alt="")

    with pytest.raises(ValidationError) as error:
        image.full_clean()

    assert "alt" in error.value.message_dict


@pytest.mark.parametrize("term", ["harbour", "HARBOUR", "reuters", "aktau"])
def test_the_library_finds_images_by_title_description_credit_or_keywords(term):
    wanted = ImageFactory(
        title="Harbour at dawn", alt="Cranes", credit="Photo: Reuters", keywords="Aktau, port"
    )
    ImageFactory(title="Desert", alt="Dunes", credit="Photo: Staff", keywords="")

    assert list(Image.objects.matching(term)) == [wanted]
