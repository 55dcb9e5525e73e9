"""What the bot does when an approver clicks: one module per action, on the base in `action.py`.

Every click is acknowledged first, then checked in this order: the clicker is an approver for the batch's
tenant (else an ephemeral refusal and nothing changes), the message still describes the batch (same message,
same revision, right state; else an explanation and the message is refreshed), and finally the store's
compare-and-set decides which of several simultaneous clicks wins. Only the winner starts an export.
"""
