"""The relief fund (信访救助 / 稳定基金): yearly budgets, relief applications, approval, payment."""
