"""What a drafter does on the reply editor in a real browser (no tests here): add items, sub-items
and commitments with the page's own buttons, mark a commitment by selecting its sentence, confirm a
dialog, save."""

from playwright.sync_api import expect


def items(page):
    """The top-level items, in order."""
    return page.locator("#reply-items > fieldset.reply-item")


def children(item):
    return item.locator(":scope > .sub-items > .child-rows > fieldset.reply-item")


def own(item, field):
    """The item's own heading or paragraphs field (not its sub-items')."""
    return item.locator(f':scope > div > [data-field="{field}"]')


def commitment_rows(item):
    return item.locator(":scope > .commitments .commitment-row")


def fill_item(item, heading, text):
    own(item, "heading").fill(heading)
    own(item, "paragraphs").fill(text)


def add_item(page, heading, text):
    """Click 添加条目; the new item's heading has the focus."""
    page.get_by_role("button", name="添加条目", exact=True).click()
    item = items(page).last
    expect(own(item, "heading")).to_be_focused()
    fill_item(item, heading, text)
    return item


def add_child(item, heading, text):
    item.locator(':scope > .sub-items > [data-act="add-child"]').click()
    child = children(item).last
    expect(own(child, "heading")).to_be_focused()
    fill_item(child, heading, text)
    return child


def mark_commitment(item, sentence):
    """Select `sentence` in the item's text, as a mouse drag would, and mark it as a commitment."""
    text = own(item, "paragraphs")
    text.evaluate(
        "(el, s) => { const i = el.value.indexOf(s); el.focus(); el.setSelectionRange(i, i + s.length); }",
        sentence,
    )
    item.locator(':scope > .commitments [data-act="mark"]').click()
    expect(commitment_rows(item).last.locator('[data-field="text"]')).to_have_value(sentence)


def confirm(page, mentions=()):
    """Accept the confirmation dialog, after checking it says what will happen and to whom."""
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    for text in mentions:
        expect(dialog).to_contain_text(text)
    dialog.get_by_role("button", name="确定").click()


def save(page):
    """Save the editor once and wait for the reloaded page (the lock version moves on by one)."""
    lock_version = page.locator("input[name=lock_version]")
    saved_over = int(lock_version.input_value())
    page.get_by_role("button", name="保存", exact=True).first.click()
    expect(lock_version).to_have_value(str(saved_over + 1))
    expect(page.get_by_text("已保存。")).to_be_visible()
