Feature: Models: the file format, the quantiser's no-wrap-around proof and the plaintext reference
  A model is a public architecture (architecture.json, which the server may send to any client)
  and the server's private weights (weights.bin, never sent). The secure protocol computes modulo
  the plaintext prime p, so the quantiser proves that no value of any layer can reach p/2 for any
  input in the model's range; the plaintext reference computes exactly what the protocol computes.

  Scenario: Classifying an MNIST test digit with the plaintext reference
    When I run "gazelle infer --plaintext --model D --image data/mnist/t10k-images-idx3-ubyte.gz:0 --json"
    Then the exit code is 0
    And the JSON output has 10 integer logits and the label is the index of the first largest one

  Scenario: A PNG of the wrong size is refused, saying what the model takes
    Given a 32x32 grey PNG image
    When I run "gazelle infer --plaintext --model D --image <image>"
    Then the exit code is 2
    And stderr says "the image is 32x32 pixels, the model takes 28x28 (images are not resized)"

  Scenario: An idx file of many images needs an index
    When I run "gazelle infer --plaintext --model D --image data/mnist/t10k-images-idx3-ubyte.gz"
    Then the exit code is 2
    And stderr says "say which one, as data/mnist/t10k-images-idx3-ubyte.gz:<index> (0..9999)"

  Scenario: A saved model loads back the same, and classifies from its directory
    Given the network "CIFAR-small" with random weights, quantised and saved to a directory
    When I load the model from that directory
    Then it has the same architecture, weights and fingerprint as the model saved
    When I run "gazelle infer --plaintext --model <model-dir> --image <image> --json"
    Then the exit code is 0
    And the JSON output has 10 integer logits and the label is the index of the first largest one

  Scenario: A truncated weights file is refused, naming the file, the layer and the field
    Given the network "CIFAR-small" with random weights, quantised and saved to a directory
    When its weights file is cut short in the middle of layer "conv3"
    Then loading the model fails with "weights.bin: layer \"conv3\""
    And the error says "truncated"

  Scenario: A corrupted weight is caught by the layer's checksum
    Given the network "CIFAR-small" with random weights, quantised and saved to a directory
    When one bit of a weight of layer "conv2" is flipped in the weights file
    Then loading the model fails with "weights.bin: layer \"conv2\": checksum"

  Scenario: An architecture edited after saving no longer matches its weights
    Given the network "CIFAR-small" with random weights, quantised and saved to a directory
    When the weight scale of layer "conv1" is changed in architecture.json
    Then loading the model fails with "the weights were saved for a different architecture"

  Scenario Outline: The quantiser proves that no value of network <network> can wrap around mod p
    When I quantise the network "<network>" with random weights for p = 557057
    Then every layer's proven bound is below (p-1)/2
    And no value on 20 random images exceeds its layer's proven bound

    Examples:
      | network     |
      | B           |
      | D           |
      | CIFAR-small |

  Scenario: A square that would overflow gets a rescale before it, and the report says so
    When I quantise the network "B" with random weights for p = 557057
    Then the quantised model has a rescale right before each square
    And the report notes "before square \"square1\""

  Scenario: A model constructed to overflow is refused, not returned
    Given a float model that sums 4096 pixels taken as 0 to 255
    When I quantise it for p = 557057
    Then quantising fails with "cannot fit p = 557057"
    And the error names the layer "sum"

  Scenario: The reference refuses a value that reaches p/2 instead of wrapping it around
    Given a quantised model for p = 257 whose first output has a bias of 129
    When I run the plaintext reference on it
    Then the reference fails with "output 0 is 129, beyond ±128 = ±(p−1)/2 for p = 257"
