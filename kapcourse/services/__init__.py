"""Use cases. Each public function that changes state owns its transaction: one commit."""
