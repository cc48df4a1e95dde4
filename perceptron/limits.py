"""Hard limits on what one training run may ask for; every module checks against these."""

# Enough points to see every preset's shape; more only slows the page and the plots.
MAX_POINTS = 2_000
# Every preset converges (or shows it never will) well within this many passes.
MAX_EPOCHS = 10_000
# Bounds the time and memory of one run: the history stores every update.
MAX_UPDATES = 200_000
# Bounds the time of one run: point visits (epochs × points), each one term −(y−ŷ)·x of a
# gradient. The slowest runs are mini-batches of 10 to 60 points: too many for plain
# Python floats to be cheap (~0.6 µs a point), too few for numpy to pay off (~27 µs an
# update). Measured on the shared 2-core machine (benchmarks/bench_train.py --table):
# 200,000 updates of 40 points took 9.6 s; within 2,000,000 visits mini-batches of 10
# and 40 still took 1.5 s and 1.2 s; within 1,000,000 (500 epochs of 2,000 points)
# every run the controls allow takes about 1 s or less.
MAX_WORK = 1_000_000
# Steps beyond this only bounce between extremes; the lecture's lessons show well below it.
# One ceiling for every control, link and race.
MAX_LEARNING_RATE = 100.0
# Steps below this barely move within MAX_UPDATES: nothing to watch.
MIN_LEARNING_RATE = 0.001
# L2 regularisation: each step shrinks w by the factor 1 − α·λ before the data pull. Above
# α·λ = 2 that factor is below −1 and the weights would double back ever further, whatever
# the points, until float64 overflows; at the largest α this caps λ at 2 / 100 = 0.02.
MAX_L2 = 2.0 / MAX_LEARNING_RATE
# The seeds numpy's generators take (the shuffle and the random starting weights).
MAX_SEED = 2**32 - 1
# Keeps every w·x + b finite even after MAX_UPDATES steps at MAX_LEARNING_RATE.
MAX_ABS_COORDINATE = 1e6
# A starting weight or bias beyond this saturates σ at every point: nothing left to learn.
MAX_ABS_INITIAL_PARAMETER = 1e4
