"""Planning tools (issue 20): the best split of a budget across funding lines, the budget-outcome frontier, the
least budget that reaches a target, and the dashboard that puts them in front of a planner."""
