"""A DQN agent in a 500-episode simulation (the shape of a public reinforcement-learning file)."""
import random
from collections import deque
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim


class DQN(nn.Module):
    def __init__(self, n_obs=4, n_actions=2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_obs, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, n_actions))

    def forward(self, x):
        return self.net(x)


class Agent:
    def __init__(self):
        self.model = DQN()
        self.memory = deque(maxlen=2000)
        self.epsilon = 1.0
        self.optimizer = optim.Adam(self.model.parameters(), lr=1e-3)

    def act(self, state):
        if np.random.rand() <= self.epsilon:
            return random.randrange(2)
        q = self.model(torch.tensor(state))
        return int(q.argmax())

    def remember(self, *transition):
        self.memory.append(transition)

    def replay(self, batch_size=32):
        if len(self.memory) < batch_size:
            return
        batch = random.sample(self.memory, batch_size)
        for s, a, r, s2, done in batch:
            self.optimizer.zero_grad()
            print(s, a, r, s2, done)


class Env:
    def reset(self):
        return np.zeros(4)

    def step(self, action):
        return np.random.rand(4), 1.0, random.random() < 0.05, {}


agent = Agent()
env = Env()
for episode in range(500):
    state = env.reset()
    for t in range(200):
        action = agent.act(state)
        next_state, reward, done, _ = env.step(action)
        agent.remember(state, action, reward, next_state, done)
        state = next_state
        if done:
            break
    agent.replay()
    agent.epsilon = max(0.01, agent.epsilon * 0.995)
