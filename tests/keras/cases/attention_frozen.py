import keras
from keras import layers

inp = keras.Input(shape=(3, 4))
ctor = keras.Model(inp, layers.MultiHeadAttention(num_heads=2, key_dim=2, trainable=False)(inp, inp))
a = layers.MultiHeadAttention(num_heads=2, key_dim=2)
a.trainable = False
before = keras.Model(inp, a(inp, inp))
b = layers.MultiHeadAttention(num_heads=2, key_dim=2)
after = keras.Model(inp, b(inp, inp))
b.trainable = False
