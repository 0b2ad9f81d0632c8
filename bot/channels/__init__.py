"""Input channels of our own: the website chat and SMS through Twilio."""
