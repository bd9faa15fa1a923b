Feature: GAZELLE packed linear kernels
  The server evaluates dense and convolution layers on the client's encrypted, packed input with
  GAZELLE's kernels (design §4). Whatever the shape, the result decrypts to exactly the plaintext
  integer reference mod p; the homomorphic operations, counted where the kernel calls the backend,
  follow the cost formulas; and the cheaper convolution strategy is chosen by cost.

  Scenario Outline: A layer decrypts to the plaintext reference
    Given the gazelle kernels over the "insecure-plain-he" backend with <n> slots
    When the server applies "<layer>" with the "<strategy>" strategy to an encrypted random input
    Then the client decrypts exactly the plaintext reference mod p

    Examples:
      | n    | layer                               | strategy        |
      | 8192 | dense 784→128                       | auto            |
      | 1024 | dense 1000→37                       | auto            |
      | 256  | dense 3→700                         | auto            |
      | 8192 | conv 5x5 1→5 28x28 stride 2 same    | input-rotation  |
      | 8192 | conv 5x5 1→5 28x28 stride 2 same    | output-rotation |
      | 512  | conv 3x3 20→11 9x7 stride 1 same    | input-rotation  |
      | 512  | conv 3x3 20→11 9x7 stride 2 valid   | output-rotation |
      | 4096 | conv 5x5 16→16 12x12 stride 1 valid | auto            |
      | 4096 | conv 1x1 64→16 8x8 stride 1 same    | auto            |

  # Expected counts worked out by hand from the formulas (design §4; plugins/gazelle-kernels/*-plan.ts):
  # FC 784→128, n = 8192: n_i' = 1024, G = 128·1024/8192 = 16 products, 15 input rotations; the design's
  #   log2(8192/128) = 6 rotate-and-sum rotations are left to the parties, who sum their shares of the
  #   slots ≡ r (mod 128); additions 15 + 1 bias.
  # FC 100→10, n = 8192: n_i' = 128, n_oc = 16, 128·16 < 8192: one product (G = 1), no input rotation, and the
  #   7 rotate-and-sum rotations (2048 slots down to 16) left to the parties; 1 addition: the bias.
  # Conv 3x3 64→64 on 32x32, n = 8192: c_n = 8192/1024 = 8, 8·9·8·8 = 4608 products; input rotation
  #   8·(8·9 − 1) = 568 rotations, output rotation 8·(9 − 1) + 8·(8 − 1) = 120.
  # Conv 5x5 1→16 on 28x28, n = 8192: one input channel is replicated over the c_n = 8 blocks, so one
  #   diagonal: 1·25·2·1 = 50 products, 24 rotations (the design's c_n = 8 would give 400 and 38).
  # Conv 5x5 16→16 on 12x12 (valid), n = 8192: c_n = 32 blocks of 256 slots, 16 per lane; the 16 input
  #   channels repeat twice, the 16 outputs fill one lane, so lane 1 (its input packed rotated by 8
  #   channels) computes shifts 8-15 while lane 0 computes 0-7, and the parties add the two lanes' partial
  #   sums: 25·8 = 200 products (unfolded: 400), 24 tap + 7 permutation = 31 rotations, 8·24 + 7 + 1 bias additions.
  Scenario Outline: Operation counts follow the formulas
    Given the gazelle kernels over the "insecure-plain-he" backend with <n> slots
    When the server applies "<layer>" with the "<strategy>" strategy to an encrypted random input
    Then the kernel counted <rotations> rotations, <products> plaintext multiplications and <additions> additions
    And the counts are the ones its formulas predict

    Examples:
      | n    | layer                               | strategy        | rotations | products | additions |
      | 8192 | dense 784→128                       | auto            | 15        | 16       | 16        |
      | 8192 | dense 100→10                        | auto            | 0         | 1        | 1         |
      | 8192 | conv 3x3 64→64 32x32 stride 1 same  | input-rotation  | 568       | 4608     | 4608      |
      | 8192 | conv 3x3 64→64 32x32 stride 1 same  | output-rotation | 120       | 4608     | 4608      |
      | 8192 | conv 5x5 1→16 28x28 stride 1 same   | output-rotation | 24        | 50       | 50        |
      | 8192 | conv 5x5 16→16 12x12 stride 1 valid | output-rotation | 31        | 200      | 200       |

  Scenario Outline: A convolution needs only a few Galois keys
    The client uploads a Galois key (0.85 MB at n = 8192) for every rotation step the server uses, so
    each filter tap is reached from a neighbouring tap, one pixel or one row away, and each block of
    channels from the previous block: the same number of rotations with a handful of keys, shared by
    every layer with the same image width.
    Given the gazelle kernels over the "insecure-plain-he" backend with 8192 slots
    When the server applies "<layer>" with the "<strategy>" strategy to an encrypted random input
    Then the client decrypts exactly the plaintext reference mod p
    And the client made Galois keys for the rotation steps <steps> only

    Examples:
      | layer                               | strategy        | steps                     |
      | conv 5x5 1→16 28x28 stride 1 valid  | output-rotation | 1, 28                     |
      | conv 5x5 16→16 12x12 stride 1 valid | output-rotation | 1, 12, 256                |
      | conv 3x3 64→64 16x16 stride 1 same  | input-rotation  | swap, -16, -1, 1, 16, 256 |
      | conv 3x3 64→64 16x16 stride 1 same  | output-rotation | swap, -16, -1, 1, 16, 256 |

  Scenario Outline: Two HE workers share one layer's work
    A layer's work can be cut into pieces on its input side (filter taps or channel diagonals): each
    worker computes a partial result, and the partial results add up to the layer's output. No
    product is computed twice, so even a layer with a single output ciphertext, which slicing the
    outputs cannot speed up, takes about half the time per worker.
    Given the gazelle kernels over the "insecure-plain-he" backend with 8192 slots
    When the server applies "<layer>" in <count> pieces to an encrypted random input
    Then the pieces' partial outputs add up to exactly the plaintext reference mod p
    And each piece takes at most <rotations> rotations and <products> plaintext multiplications, where the whole layer takes <all rotations> and <all products>

    # 12x12 (16 outputs folded onto one lane: 8 diagonals, the lanes summed on shares): by taps, 12 | 13 of the
    #   25 (the second also rotates their ancestors), each + 7 block permutations.
    # 8x8 (folded: 32 diagonals): by channel diagonals, 16 | 16, each + 8 tap rotations (+ 1 to the second
    #   half's first shift). 1x1 64→16 (folded 8 ways: 8 diagonals): 4 | 4 diagonals (+ 1 to the second's first).
    # 32x32: by taps, 4 × (2 input ciphertexts × 9 taps): 2·8 tap rotations + 8·7 block permutations each.
    Examples:
      | layer                               | count | rotations | products | all rotations | all products |
      | conv 5x5 16→16 12x12 stride 1 valid | 2     | 23        | 104      | 31            | 200          |
      | conv 3x3 64→64 8x8 stride 1 same    | 2     | 24        | 144      | 39            | 288          |
      | conv 1x1 64→16 8x8 stride 1 valid   | 2     | 4         | 4        | 7             | 8            |
      | conv 3x3 64→64 32x32 stride 1 same  | 4     | 72        | 1152     | 120           | 4608         |

  Scenario Outline: The cheaper convolution strategy is chosen by cost
    Given the gazelle kernels over the "insecure-plain-he" backend with 8192 slots
    When the kernels prepare "<layer>" with the "auto" strategy
    Then they choose "<chosen>", needing <fewer> rotations where the other strategy needs <more>

    Examples:
      | layer                              | chosen          | fewer | more |
      | conv 3x3 64→64 32x32 stride 1 same | output-rotation | 120   | 568  |
      | conv 1x1 8→64 32x32 stride 1 same  | input-rotation  | 7     | 56   |
