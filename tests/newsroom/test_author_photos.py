"""Author photos: chosen from the uploads by the member (account page) or an admin, shown on the author page."""

from conftest import csrf_token
from upload_images import image_bytes, post_image

from blogapp.extensions import db
from blogapp.models import Upload


def uploaded(client, alt="Portrait of the author") -> Upload:
    assert post_image(client, image_bytes("PNG", size=(300, 400)), "me.png", alt=alt).status_code == 302
    return db.session.scalars(db.select(Upload).order_by(Upload.id.desc())).first()


def choose(client, url: str, photo) -> int:
    return client.post(url, data={"photo": str(photo), "csrf_token": csrf_token(client, url)}).status_code


def test_a_member_picks_their_photo_and_the_author_page_shows_it(client, team, login, uploads_dir):
    author = team["author"]
    login(author.email)
    photo = uploaded(client)
    assert "/admin/account/photo" in client.get("/admin/account").get_data(as_text=True)
    assert choose(client, "/admin/account/photo", photo.id) == 302
    page = client.get(f"/author/{author.author.slug}/").get_data(as_text=True)
    img = f'src="/uploads/{photo.filename}"'
    assert img in page and 'width="300" height="400" alt="Portrait of the author"' in page
    assert choose(client, "/admin/account/photo", "999999") == 422
    assert choose(client, "/admin/account/photo", "") == 302
    assert img not in client.get(f"/author/{author.author.slug}/").get_data(as_text=True)


def test_an_admin_picks_someone_elses_photo_and_others_may_not(client, team, login, uploads_dir):
    login(team["author"].email)
    photo = uploaded(client)
    url = f"/admin/users/{team['author'].id}/photo"
    assert client.get(url).status_code == 403
    login(team["admin"].email)
    assert client.get(url).status_code == 200 and url in client.get("/admin/users/").get_data(as_text=True)
    assert choose(client, url, photo.id) == 302
    db.session.expire_all()
    assert team["author"].author.photo_id == photo.id
