# options:
"""Inline directives: a budget on the Sequential( line or the line above; unreadable ones are PRM305."""
import torch.nn as nn
from tensorflow import keras

# paramlint: budget=1k
above = nn.Sequential(nn.Linear(100, 100))  # PRM101: 9, model='above', total=10100, budget=1000

same_line = nn.Sequential(nn.Linear(100, 100))  # paramlint: budget=10k  # PRM101: 13, budget=10000

roomy = nn.Sequential(nn.Linear(100, 100))  # paramlint: budget=1.5M

no_budget_at_all = nn.Sequential(nn.Linear(1000, 1000))

# paramlint: budget-trainable=10
frozen = nn.Sequential(nn.Linear(10, 10))  # PRM102: 10, trainable=110, budget=10

# paramlint: budget=lots  # PRM305: 1, directive='budget=lots'
unreadable = nn.Sequential(nn.Linear(10, 10))

# paramlint: input-shape=(28, 28, 1), budget=100
shaped = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10)])  # PRM101: 10, total=7850, budget=100

# paramlint: input-shape=(10,)
mismatched = nn.Sequential(nn.Linear(10, 20), nn.Linear(30, 5))  # PRM201: 47, layer='Linear', declared=30, actual=20
