"""The members' bulletin (情報共有)."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ageo_network.documents import Document
from ageo_network.history import history_rows
from ageo_network.uploads import sniff
from audit.downloads import download_response
from outreach import access, services
from outreach.forms import (
    CommentForm,
    DigestChoiceForm,
    PostForm,
    ReportForm,
)
from outreach.models import (
    DigestChoice,
    Post,
)
from outreach.personal_data import personal_data_warnings

# --- the bulletin (情報共有) ----------------------------------------------------------------------------------------

POSTS_PER_PAGE = 30


@require_GET
def post_list(request):
    """Pinned posts first, then the newest; a filter by category; the secretariat also sees hidden posts."""
    posts = access.visible_posts(request.user).annotate(
        comment_count=Count("comments", filter=Q(comments__is_hidden=False))
    )
    category = request.GET.get("category", "")
    if category in Post.Category.values:
        posts = posts.filter(category=category)
    page = Paginator(posts.order_by("-is_pinned", "-created_at", "-id"), POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "category": category,
        "categories": Post.Category.choices,
        "can_manage": access.can_manage(request.user),
    }
    return render(request, "outreach/post_list.html", context)


@require_http_methods(["GET", "POST"])
def post_create(request):
    body = access.require_member_body(request, object_type="outreach.post")
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        post = services.post_create(data=form.post_data(), body=body, by=request.user)
        messages.success(request, "掲示板に投稿しました。")
        return redirect("outreach:post_detail", uuid=post.uuid)
    return render(request, "outreach/post_form.html", {"form": form})


@require_GET
def post_detail(request, uuid):
    post = access.get_post_for_user(request, uuid)
    can_manage = access.can_manage(request.user)
    comments = post.comments.select_related("author_body", "author__person")
    if not can_manage:
        comments = comments.filter(is_hidden=False)
    context = {
        "post": post,
        "comments": list(comments),
        "can_manage": can_manage,
        # A comment sent back with a personal-data warning comes back filled in, with the confirmation box.
        "comment_draft": request.session.pop("outreach_comment_draft", ""),
        "comment_form": CommentForm(),
        "report_form": ReportForm(),
        "history": history_rows(post, 20) if can_manage else [],
    }
    return render(request, "outreach/post_detail.html", context)


@require_GET
def post_attachment(request, uuid):
    post = access.get_post_attachment_for_user(request, uuid)
    with post.attachment.open("rb") as handle:
        content = handle.read()
    kind = sniff(io.BytesIO(content))
    name = f"{post.title}.{kind.extension if kind else 'bin'}"
    return download_response(
        request, Document(name, kind.content_type if kind else "application/octet-stream", content), log=False
    )


@require_POST
def comment_create(request, uuid):
    body = access.require_member_body(request, object_type="outreach.comment")
    post = access.get_post_for_user(request, uuid)
    form = CommentForm(request.POST)
    if form.is_valid():
        warnings = personal_data_warnings(form.cleaned_data["text"])
        if warnings and request.POST.get("confirmed") != "on":
            messages.warning(
                request, " ".join(warnings) + " 問題がなければ、確認欄にチェックを入れて送信してください。"
            )
            request.session["outreach_comment_draft"] = form.cleaned_data["text"]
            return redirect("outreach:post_detail", uuid=post.uuid)
        try:
            services.comment_create(post=post, text=form.cleaned_data["text"], body=body, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session.pop("outreach_comment_draft", None)
            messages.success(request, "コメントを投稿しました。")
    else:
        messages.error(request, "コメントを入力してください。")
    return redirect("outreach:post_detail", uuid=post.uuid)


@require_POST
def post_pin(request, uuid):
    post = access.get_rw_post_for_user(request, uuid)
    post = services.post_pin(post=post, pinned=not post.is_pinned, by=request.user)
    messages.success(request, "投稿を上部に固定しました。" if post.is_pinned else "固定を外しました。")
    return redirect("outreach:post_detail", uuid=post.uuid)


@require_POST
def post_hide(request, uuid):
    post = access.get_rw_post_for_user(request, uuid)
    post = services.post_hide(post=post, hidden=not post.is_hidden, by=request.user)
    messages.success(request, "投稿を非表示にしました。" if post.is_hidden else "投稿を再び表示しました。")
    return redirect("outreach:post_detail", uuid=post.uuid)


@require_POST
def comment_hide(request, pk):
    comment = access.get_rw_comment_for_user(request, pk)
    comment = services.comment_hide(comment=comment, hidden=not comment.is_hidden, by=request.user)
    messages.success(request, "コメントを非表示にしました。" if comment.is_hidden else "コメントを再び表示しました。")
    return redirect("outreach:post_detail", uuid=comment.post.uuid)


@require_POST
def post_report(request, uuid):
    post = access.get_post_for_user(request, uuid)
    form = ReportForm(request.POST)
    if form.is_valid():
        services.post_report(post=post, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, "事務局に報告しました。ご協力ありがとうございます。")
    else:
        messages.error(request, "報告の理由を入力してください。")
    return redirect("outreach:post_detail", uuid=post.uuid)


@require_http_methods(["GET", "POST"])
def digest_choice(request):
    """The body's choice of the weekly digest mail."""
    body = access.require_member_body(request, object_type="outreach.digestchoice")
    current = DigestChoice.objects.filter(body=body).first()
    initial = {"frequency": current.frequency if current else DigestChoice.Frequency.NONE}
    form = DigestChoiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.digest_choose(body=body, frequency=form.cleaned_data["frequency"], by=request.user)
        messages.success(request, "まとめメールの設定を保存しました。")
        return redirect("outreach:post_list")
    return render(request, "outreach/digest_form.html", {"form": form, "body": body})
