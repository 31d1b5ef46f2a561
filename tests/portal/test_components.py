"""The GOV.UK component includes render the markup GOV.UK Frontend expects."""

from django.template.loader import render_to_string

from tests import govuk_fixtures


def render(component, **context):
    return render_to_string(f"includes/govuk/{component}.html", context)


def test_start_button_is_a_link_with_the_start_icon():
    html = render("button", text="Start now", href="/start/", start=True)

    assert '<a href="/start/" role="button" draggable="false"' in html
    assert "govuk-button--start" in html
    assert "govuk-button__start-icon" in html


def test_form_button_submits_with_a_name_and_value():
    html = render("button", text="Mark as done", name="action", value="done", secondary=True)

    assert '<button type="submit" class="govuk-button govuk-button--secondary"' in html
    assert 'name="action" value="done"' in html


def test_warning_text_has_hidden_fallback_for_the_icon():
    html = render("warning_text", text="This is not legal advice.")

    assert '<span class="govuk-visually-hidden">Warning</span>' in html
    assert "This is not legal advice." in html


def test_inset_text_and_details_escape_their_text():
    assert "&lt;b&gt;" in render("inset_text", text="<b>")
    html = render("details", summary_text="What is TUPE?", text="<i>rules</i>")
    assert '<span class="govuk-details__summary-text">What is TUPE?</span>' in html
    assert "&lt;i&gt;" in html


def test_summary_list_rows_have_visually_hidden_action_context():
    html = render(
        "summary_list",
        rows=[{"key": "Stage", "value": "2", "href": "/s/", "action_text": "Change"}],
    )

    assert '<dt class="govuk-summary-list__key">Stage</dt>' in html
    assert 'Change<span class="govuk-visually-hidden"> stage</span>' in html


def test_tag_takes_a_colour():
    assert 'class="govuk-tag govuk-tag--grey"' in render("tag", text="Draft", colour="grey")


def test_pagination_renders_only_the_links_it_has():
    html = render("pagination", next={"href": "/b/", "label": "Appraise the options"})

    assert 'rel="next"' in html
    assert 'rel="prev"' not in html
    assert "Appraise the options" in html
    assert render("pagination").strip() == ""


def test_success_notification_banner_is_an_alert():
    html = render("notification_banner", text="Task marked as done", type="success")

    assert "govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert ">Success</h2>" in html


def test_error_summary_links_to_the_field():
    html = render("error_summary", error_list=[{"text": "Enter your name", "href": "#id_name"}])

    assert "There is a problem" in html
    assert '<a href="#id_name">Enter your name</a>' in html


def test_breadcrumbs_are_a_labelled_navigation():
    html = render("breadcrumbs", items=[{"text": "Home", "href": "/"}])

    assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">' in html
    assert '<a class="govuk-breadcrumbs__link" href="/">Home</a>' in html


# What the includes add to GOV.UK Frontend's options for the site's own callers (the options
# GOV.UK Frontend has are checked against its fixtures in test_govuk_fixtures.py).


def test_breadcrumbs_show_an_item_without_a_link_as_the_current_page():
    html = render("breadcrumbs", items=[{"text": "Home", "href": "/"}, {"text": "<Stage 1>"}])

    assert (
        '<li class="govuk-breadcrumbs__list-item" aria-current="page">&lt;Stage 1&gt;</li>' in html
    )
    assert html.count("govuk-breadcrumbs__link") == 1


def test_a_form_button_without_a_value_has_no_value_attribute():
    html = render("button", text="Send", name="action")

    assert 'name="action"' in html
    assert "value=" not in html


def test_site_summary_rows_say_they_have_no_actions_only_beside_rows_that_do():
    rows = [{"key": "Stage", "value": "2", "href": "/s/"}, {"key": "Place", "value": "Leeds"}]
    html = render("summary_list", rows=rows)

    assert html.count("govuk-summary-list__row--no-actions") == 1
    assert 'View<span class="govuk-visually-hidden"> stage</span>' in html
    html = render("summary_list", rows=[{"key": "Place", "value": "Leeds"}])
    assert "--no-actions" not in html
    assert "govuk-summary-list__actions" not in html


def test_stage_pagination_labels_its_links_and_decorates_them_only_without_a_label():
    labelled = render(
        "pagination",
        previous={"href": "/a/", "title": "Previous stage", "label": "Stage 1: Explore"},
        next={"href": "/c/"},
    )

    assert labelled.count("govuk-pagination__link-title--decorated") == 1
    assert '<span class="govuk-pagination__link-label">Stage 1: Explore</span>' in labelled
    assert "Previous stage" in labelled
    assert 'Next<span class="govuk-visually-hidden"> page</span>' in labelled


def test_the_site_phase_banner_asks_for_feedback_at_the_address_given():
    html = render("phase_banner", tag="Beta", feedback_href="/contact/#feedback")

    assert '<strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong>' in html
    assert '<a class="govuk-link" href="/contact/#feedback">feedback</a>' in html
    assert 'class="govuk-phase-banner govuk-width-container"' in html


def test_the_notification_banner_takes_the_sites_title_and_the_error_summary_one_text():
    assert ">Preview</h2>" in render("notification_banner", title="Preview", text="A preview")
    html = render("error_summary", text="Your session ended")
    assert "<li>Your session ended</li>" in html
    assert ">There is a problem</h2>" in html


def test_off_govuk_the_footer_keeps_the_notices_without_the_crown_or_royal_arms():
    meta = {"items": [{"href": "/cookies/", "text": "Cookies"}]}
    html = render("footer", meta=meta, off_govuk=True)

    assert "govuk-footer__crown" not in html
    assert "govuk-footer__copyright-logo" not in html
    assert "Open Government Licence v3.0" in html
    assert "© Crown copyright" in html
    assert '<a class="govuk-footer__link" href="/cookies/">Cookies</a>' in html
    on_govuk = render("footer", meta=meta)
    assert 'class="govuk-footer__crown"' in on_govuk
    assert "govuk-footer__copyright-logo" in on_govuk


def test_the_footer_leaves_out_the_licence_only_when_told_to():
    assert "govuk-footer__licence-logo" in render("footer")
    assert "govuk-footer__licence-logo" not in render("footer", content_licence=None)


def test_attributes_render_escaped_and_optional_ones_only_when_set():
    html = render(
        "tag",
        text="Done",
        attributes={
            "data-note": '"quoted" & <b>',
            "hidden": {"value": True, "optional": True},
            "aria-hidden": {"value": False, "optional": True},
            "data-empty": None,
        },
    )

    assert (
        '<strong class="govuk-tag" data-note="&quot;quoted&quot; &amp; &lt;b&gt;" hidden'
        ' data-empty="">Done</strong>'
    ) in html


def test_a_summary_card_without_action_items_shows_no_actions():
    html = render(
        "summary_list",
        card={"title": {"text": "Your service"}, "actions": {"classes": "app-x"}},
        rows=[{"key": {"text": "Name"}, "value": {"text": "Day care"}}],
    )

    assert '<h2 class="govuk-summary-card__title">Your service</h2>' in html
    assert "govuk-summary-card__actions" not in html


def test_radios_check_the_answer_given_and_link_the_error_to_the_fieldset():
    html = render(
        "radios",
        name="stage",
        value="2",
        fieldset={"legend": {"text": "Where are you?", "isPageHeading": True}},
        error_message={"text": "Select where you are"},
        items=[{"value": "1", "text": "Exploring"}, {"value": 2, "text": "Planning"}],
    )

    assert 'aria-describedby="stage-error"' in html
    assert '<h1 class="govuk-fieldset__heading">Where are you?</h1>' in html
    assert 'id="stage" name="stage" type="radio" value="1">' in html
    assert 'id="stage-2" name="stage" type="radio" value="2" checked>' in html
    assert '<span class="govuk-visually-hidden">Error:</span> Select where you are' in html


def test_numbered_pages_of_filtered_lists_match_govuk_pagination():
    pages = [
        {"number": 1, "href": "?page=1"},
        {"ellipsis": True},
        {"number": 4, "href": "?page=4", "current": True},
        {"number": 5, "href": "?page=5"},
    ]
    ours = render_to_string(
        "includes/querystring/pagination.html",
        {"pagination": {"previous": "?page=3", "next": "?page=5", "items": pages}},
    )
    govuk = render(
        "pagination",
        previous={"href": "?page=3"},
        next={"href": "?page=5"},
        items=pages,
        landmark_label="Results pages",
    )

    assert govuk_fixtures.normalise(ours) == govuk_fixtures.normalise(govuk)
