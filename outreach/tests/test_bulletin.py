"""The bulletin: the personal-data warning before posting, comments, pin and hide, reports, the digest."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outreach.models import Comment, DigestChoice, Post, PostReport
from outreach.personal_data import personal_data_warnings
from registry.models import Body, Person
from tests.factories.registry import make_body, make_person

Role = Person.Role
pytestmark = pytest.mark.django_db


@pytest.fixture
def pharmacy(bodies):
    return make_body(name="あげお中央薬局")


@pytest.fixture
def secretariat_body(bodies):
    return Body.objects.get(code="dept-jinken-danjo")


def _post(client, **overrides):
    data = {"category": "practice", "title": "カードの置き場所", "text": "女性トイレの個室に置くと減りが早いです。"}
    data.update(overrides)
    return client.post(reverse("outreach:post_create"), data)


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ("連絡は090-1234-5678まで", True),
        ("０４８－７７５－１２３４に電話した", True),
        ("上尾市本町3-1-1の方", True),
        ("〒362-8501", True),
        ("山田さんがDVで避難しています", True),
        ("A子さんは生活保護の相談に来た", True),
        ("講師は佐藤さんです", False),
        ("令和6年11月12日〜25日はパープルリボン期間です", False),
        ("ポスターを掲示しました。好評でした。", False),
    ],
)
def test_what_looks_personal(text, warned):
    assert bool(personal_data_warnings(text)) is warned


def test_the_form_says_no_personal_data_and_warns_before_posting_a_phone_number(client, login_as, pharmacy):
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    form = client.get(reverse("outreach:post_create")).content.decode()
    assert "個人情報・ケースの情報は書かないでください" in form
    response = _post(client, text="気になる方がいます。連絡先は090-1234-5678です。")
    assert response.status_code == 200
    assert "電話番号のような数字が含まれています" in response.content.decode()
    assert not Post.objects.exists()
    # The author checked and confirms: posted.
    response = _post(client, text="センターの代表番号は048-775-0000です。", confirmed="on")
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.author_body, post.category) == (pharmacy, "practice")


def test_a_plain_post_goes_through_without_a_warning(client, login_as, pharmacy):
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    assert _post(client).status_code == 302
    assert Post.objects.get().history.first().history_user.person.body == pharmacy


def test_comments_warn_too_and_keep_the_draft(client, login_as, pharmacy):
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    _post(client)
    post = Post.objects.get()
    url = reverse("outreach:comment_create", args=[post.uuid])
    client.post(url, {"text": "鈴木さんが離婚の相談に来ました"})
    assert not Comment.objects.exists()
    page = client.get(reverse("outreach:post_detail", args=[post.uuid])).content.decode()
    assert "鈴木さんが離婚の相談に来ました</textarea>" in page and "id_comment_confirmed" in page
    client.post(url, {"text": "参考になります。うちでも試します。"})
    assert Comment.objects.get().author_body == pharmacy


def test_the_secretariat_pins_and_hides_and_a_hidden_post_is_404_to_members(
    client, login_as, pharmacy, secretariat_body
):
    other = make_person(role=Role.BUSINESS_MEMBER, body=pharmacy)
    post = Post.objects.create(category="news", title="隠す投稿", text="本文", author=other.user, author_body=pharmacy)
    login_as(Role.SECRETARIAT, body=secretariat_body)
    client.post(reverse("outreach:post_pin", args=[post.uuid]))
    client.post(reverse("outreach:post_hide", args=[post.uuid]))
    post.refresh_from_db()
    assert post.is_pinned and post.is_hidden
    assert client.get(reverse("outreach:post_detail", args=[post.uuid])).status_code == 200
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    assert client.get(reverse("outreach:post_detail", args=[post.uuid])).status_code == 404
    assert "隠す投稿" not in client.get(reverse("outreach:post_list")).content.decode()
    assert client.post(reverse("outreach:post_pin", args=[post.uuid])).status_code == 404


def test_a_member_may_not_pin_403(client, login_as, pharmacy):
    post = Post.objects.create(category="news", title="x", text="y", author=make_person().user, author_body=pharmacy)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    assert client.post(reverse("outreach:post_pin", args=[post.uuid])).status_code == 403


def test_a_report_reaches_the_secretariat_without_the_text(
    client, login_as, pharmacy, secretariat_body, django_capture_on_commit_callbacks
):
    staff = make_person(role=Role.SECRETARIAT, body=secretariat_body)
    staff.user.email = "jimukyoku@example.jp"
    staff.user.save(update_fields=["email"])
    post = Post.objects.create(
        category="other", title="相談", text="秘密の内容", author=make_person().user, author_body=pharmacy
    )
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:post_report", args=[post.uuid]), {"reason": "個人が特定できます"})
    assert PostReport.objects.get().reason == "個人が特定できます"
    (message,) = mail.outbox
    assert message.to == ["jimukyoku@example.jp"] and "秘密の内容" not in message.body
    assert str(post.uuid) in message.body


def test_the_list_of_many_posts_takes_few_queries(client, login_as, pharmacy, django_assert_max_num_queries):
    author = make_person(body=pharmacy).user
    for n in range(80):
        post = Post.objects.create(category="news", title=f"投稿{n}", text="本文", author=author, author_body=pharmacy)
        Comment.objects.create(post=post, text="c", author=author, author_body=pharmacy)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("outreach:post_list"))
    assert response.content.decode().count("コメント 1") == 30


def test_the_weekly_digest_goes_to_the_bodies_that_chose_it_with_titles_only(
    client, login_as, pharmacy, django_capture_on_commit_callbacks
):
    member = login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    member.user.email = "yakkyoku@example.jp"
    member.user.save(update_fields=["email"])
    assert client.post(reverse("outreach:digest_choice"), {"frequency": "weekly"}).status_code == 302
    assert DigestChoice.objects.get(body=pharmacy).frequency == "weekly"
    quiet = make_body(name="受け取らない事業所")
    quiet_user = make_person(body=quiet).user
    quiet_user.email = "quiet@example.jp"
    quiet_user.save(update_fields=["email"])
    Post.objects.create(
        category="news", title="新しい制度", text="本文は送らない", author=member.user, author_body=pharmacy
    )
    Post.objects.create(
        category="news",
        title="古い投稿",
        text="x",
        author=member.user,
        author_body=pharmacy,
        created_at=timezone.now() - datetime.timedelta(days=8),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_bulletin_digest", verbosity=0)
    (message,) = mail.outbox
    assert message.to == ["yakkyoku@example.jp"]
    assert "新しい制度" in message.body and "古い投稿" not in message.body and "本文は送らない" not in message.body


def test_the_secretariat_hides_a_comment(client, login_as, pharmacy, secretariat_body):
    author = make_person(body=pharmacy).user
    post = Post.objects.create(category="news", title="t", text="x", author=author, author_body=pharmacy)
    comment = Comment.objects.create(post=post, text="消したいコメント", author=author, author_body=pharmacy)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    assert client.post(reverse("outreach:comment_hide", args=[comment.pk])).status_code == 403
    login_as(Role.SECRETARIAT, body=secretariat_body)
    assert client.post(reverse("outreach:comment_hide", args=[comment.pk])).status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    assert "消したいコメント" not in client.get(reverse("outreach:post_detail", args=[post.uuid])).content.decode()
