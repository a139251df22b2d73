"""What other parts of the app react to, without the services knowing them."""

from django.dispatch import Signal

# A signed evaluation's report changed (it was signed, or an addendum was added): its PDF is
# rendered again by the background worker (evaluations.tasks). Sent with `evaluation`.
report_changed = Signal()
