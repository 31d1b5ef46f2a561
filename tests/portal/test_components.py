"""The GOV.UK component includes render the markup GOV.UK Frontend expects."""

from django.template.loader import render_to_string


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
