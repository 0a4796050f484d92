# Quizzes, attempts, grading and Capacity Capture arrive with the assessments issue.
