Feature: Private inference: the client learns the classification, the server nothing, and the result is exactly the plaintext reference's
  A client classifies its private image with the server's private network. Linear layers run under
  homomorphic encryption (BFV), ReLU and max pooling in garbled circuits, and between them each value
  exists only as two additive shares mod p, one per party. The client learns the logits (or only the
  label); the server learns nothing. The result equals the plaintext integer reference bit for bit.

  Scenario: A private inference gives exactly the plaintext reference's logits
    Given the server holds the network "A" with random weights
    When the client classifies 2 random images privately
    Then each result equals the plaintext reference bit for bit
    And every returned ciphertext kept at least 40 bits of flooding margin
    And no HE object of the session is left alive on either side

  Scenario: Revealing only the label
    Given the server holds the network "C" with random weights
    When the client classifies 1 random image privately, revealing only the label
    Then the client learns the reference's label and no logits

  Scenario: A real test digit, classified privately from the command line
    When I run "gazelle infer --local --model D --image data/mnist/t10k-images-idx3-ubyte.gz:0 --json"
    Then the exit code is 0
    And the label and logits are those of "gazelle infer --plaintext --model D --image data/mnist/t10k-images-idx3-ubyte.gz:0 --json"
    And the JSON figures show an offline and an online phase for every layer

  Scenario: The trained network D recognises real MNIST test digits, privately
    Given the server holds the trained network "D"
    When the client classifies the first 3 MNIST test digits privately
    Then each result equals the plaintext reference bit for bit
    And each prediction is the true digit

  Scenario: An image of the wrong size is refused before anything is sent
    Given a 32x32 grey PNG image
    When I run "gazelle infer --local --model D --image <image>"
    Then the exit code is 2
    And stderr says "the image is 32x32 pixels, the model takes 28x28 (images are not resized)"

  Scenario: A client that disappears in the middle of an inference ends only its own session
    Given the server holds the network "C" with random weights
    When a client disconnects in the middle of the online phase
    Then the server's session ends with "closed the connection"
    And no HE object of the session is left alive on either side
    When the client classifies 1 random image privately
    Then each result equals the plaintext reference bit for bit
