"""'Is this page useful?': the answers visitors give at the foot of every public page.

models.py keeps each answer with its page (and the content item shown there), pages.py decides
which addresses may be answered about and which item each shows, scrub.py removes anything
that looks like contact details, and forms.py, views.py and admin.py take and show answers.
"""
