"""Development tools, not runtime code: the local launcher (`make run`), the test balancer, the translations
report and the blank spaCy pipeline builder. Production never imports these."""
