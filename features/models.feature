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

  # ONNX import (core/onnx/, gazelle import and verify-import) and the trained networks

  Scenario: The ONNX Model Zoo's mnist-8 (CNTK, opset 8) imports and classifies like onnxruntime
    Given a new directory "out"
    When I run "gazelle import test/fixtures/onnx/mnist-8.onnx --out <out>"
    Then the exit code is 0
    And the model directory "out" holds architecture.json and weights.bin
    When I run "gazelle verify-import test/fixtures/onnx/mnist-8.onnx <out> --images data/mnist/t10k-images-idx3-ubyte.gz:0-99 --labels data/mnist/t10k-labels-idx1-ubyte.gz --json"
    Then the exit code is 0
    And the JSON output field "labelsAgreeing" is at least 99
    And the JSON output field "accuracy.quantised" is at least 0.97

  Scenario: A PyTorch export's Dropout, Identity and final Softmax are skipped with notices
    Given a new directory "out"
    When I run "gazelle import test/fixtures/onnx/bn-avgpool.onnx --out <out>"
    Then the exit code is 0
    And stdout says "notice: node \"dropout\" (Dropout): the identity at inference; skipped"
    And stdout says "notice: node \"identity\" (Identity)"
    And stdout says "the final softmax is dropped: the imported model outputs the logits before it"
    And stdout says "zero padding folded into \"/3/AveragePool\""

  Scenario: Every unsupported operator and attribute of a model is reported at once
    Given a new directory "out"
    When I run "gazelle import test/fixtures/onnx/unsupported.onnx --out <out>"
    Then the exit code is 2
    And stderr says "cannot import (5 problems)"
    And stderr names the nodes "/1/Sigmoid, /2/Conv, /3/Conv, /4/Tanh, /8/LeakyRelu"
    And stderr says "group = 2 (a grouped or depthwise convolution) is not supported; use ordinary convolutions (group 1)"
    And no model was written to "out"

  Scenario: A truncated ONNX file is refused, naming the file
    Given a new directory "out"
    And the first 10000 bytes of "test/fixtures/onnx/mnist-8.onnx" as "truncated"
    When I run "gazelle import <truncated> --out <out>"
    Then the exit code is 2
    And stderr says "not a valid ONNX protobuf (truncated or corrupted"
    And stderr says "truncated-10000.onnx"
    And no model was written to "out"

  Scenario Outline: The committed network <network> classifies like its ONNX original
    When I run "gazelle verify-import models/onnx/<onnx>.onnx <network> --images data/mnist/t10k-images-idx3-ubyte.gz:0-199 --labels data/mnist/t10k-labels-idx1-ubyte.gz --json"
    Then the exit code is 0
    And the JSON output field "labelsAgreeing" is at least <agreeing>
    And the JSON output field "accuracy.quantised" is at least <accuracy>

    # A-p28 is network A at a 28-bit prime: at the default 20-bit prime its two squares leave too few bits (README).
    Examples:
      | network | onnx | agreeing | accuracy |
      | A-p28   | A    | 198      | 0.98     |
      | B       | B    | 190      | 0.95     |
      | C       | C    | 197      | 0.96     |
      | D       | D    | 198      | 0.98     |
