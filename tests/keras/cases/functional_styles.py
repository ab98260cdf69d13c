import keras
from keras import layers


def conv_block(x, filters, kernel_size=3):
    x = layers.Conv2D(filters, kernel_size, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    return x


def residual(x, filters):
    shortcut = x
    y = conv_block(x, filters)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    if shortcut.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1)(shortcut)
    return layers.Activation("relu")(y + shortcut)


inputs = keras.Input(shape=(32, 32, 3), name="image")
x = conv_block(inputs, 32)
for filters in [32, 64, 128]:
    x = residual(x, filters)
    x = layers.MaxPooling2D()(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(10, activation="softmax")(x)
resnet = keras.Model(inputs=inputs, outputs=outputs, name="small_resnet")

# shared layers: a siamese pair
shared = layers.Dense(16, activation="relu")
left = keras.Input(shape=(20,))
right = keras.Input(shape=(20,))
l1 = shared(left)
r1 = shared(right)
diff = keras.ops.abs(l1 - r1)
score = layers.Dense(1, activation="sigmoid")(diff)
siamese = keras.Model([left, right], score)

# encoder / decoder nested in an autoencoder
enc_in = keras.Input(shape=(784,))
h = layers.Dense(128, activation="relu")(enc_in)
z = layers.Dense(16)(h)
encoder = keras.Model(enc_in, z, name="encoder")
dec_in = keras.Input(shape=(16,))
h2 = layers.Dense(128, activation="relu")(dec_in)
recon = layers.Dense(784, activation="sigmoid")(h2)
decoder = keras.Model(dec_in, recon, name="decoder")
ae_in = keras.Input(shape=(784,))
autoencoder = keras.Model(ae_in, decoder(encoder(ae_in)), name="autoencoder")

# multi-input multi-output with dict outputs and a Sequential as a layer
title = keras.Input(shape=(None,), name="title")
body = keras.Input(shape=(50,), name="body")
t = layers.Embedding(1000, 32)(title)
t = layers.LSTM(16)(t)
bseq = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(8)])
b = bseq(body)
merged = keras.ops.concatenate([t, b], axis=-1)
priority = layers.Dense(1, name="priority")(merged)
dept = layers.Dense(4, name="dept")(merged)
news = keras.Model(inputs=[title, body], outputs={"priority": priority, "dept": dept})

# transfer learning: a frozen base, a new head
base = keras.Model(enc_in, h)
base.trainable = False
head_in = keras.Input(shape=(784,))
feat = base(head_in, training=False)
clf = keras.Model(head_in, layers.Dense(3)(feat))

# slicing and reshaping ops
seq_in = keras.Input(shape=(10, 8))
last = seq_in[:, -1, :]
proj = layers.Dense(5)(last)
flat = keras.ops.reshape(seq_in, (-1, 80))
proj2 = layers.Dense(2)(flat)
sliced = keras.Model(seq_in, [proj, proj2])
