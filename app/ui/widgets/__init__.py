"""Small reusable pieces: messages, the task runner, the department tree, placeholders."""
