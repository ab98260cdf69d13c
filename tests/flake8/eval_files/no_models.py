# options: --param-budget=1 --extend-select=PRM9
"""Nothing to report: no model, or "Sequential" that is not a model."""
import collections

Sequential = collections.namedtuple("Sequential", "a b")
pair = Sequential(1, 2)
text = "nn.Sequential(nn.Linear(10, 10))"
# model = nn.Sequential(nn.Linear(10, 10))
