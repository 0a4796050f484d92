"""A load run of the quiz: many students taking the same quiz at once against a real server
(``make loadtest``). ``seed`` prepares the data and signed-in sessions; ``quiz_load`` is the
students' HTTP client and the check that every answer they sent was stored."""
