Feature: Garbled circuits between two parties
  A garbler and an evaluator compute a Boolean circuit on their private inputs. The garbler sends
  the garbled tables (half-gates: free XOR, two ciphertexts of 16 bytes per AND gate) and the labels
  of its own inputs; the evaluator obtains the labels of its inputs by correlated oblivious transfer
  with the garbler's offset Δ, evaluates, and decodes the outputs with the garbler's decode bits.
  Neither sees the other's inputs; only the evaluator learns the outputs.

  Scenario Outline: A Bristol circuit run privately gives the circuit's result
    When I run "gazelle gc run test/vectors/bristol/<circuit> --garbler <garbler> --evaluator <evaluator> <options>"
    Then the exit code is 0
    And stdout is exactly the lines "<outputs>"

    Examples: FIPS-197 appendix C.1, arithmetic, old format, both transports and schemes
      | circuit                         | garbler                          | evaluator                        | options                                 | outputs                           |
      | aes_128.txt                     | 000102030405060708090a0b0c0d0e0f | 00112233445566778899aabbccddeeff | --transport memory                      | 69c4e0d86a7b0430d8cdb78070b4c55a  |
      | aes_128.txt                     | 000102030405060708090a0b0c0d0e0f | 00112233445566778899aabbccddeeff | --transport tcp --scheme classic        | 69c4e0d86a7b0430d8cdb78070b4c55a  |
      | adder64.txt                     | ffffffffffffffff                 | 2                                | --transport tcp                         | 0000000000000001                  |
      | mult2_64.txt                    | ffffffffffffffff                 | ffffffffffffffff                 | --transport memory                      | fffffffffffffffe,0000000000000001 |
      | old-format/AES-non-expanded.txt | 00112233445566778899aabbccddeeff | 000102030405060708090a0b0c0d0e0f | --format bristol-old --transport memory | 69c4e0d86a7b0430d8cdb78070b4c55a  |

  Scenario Outline: Half-gates sends two ciphertexts per AND gate, the classic baseline three
    When I run "gazelle gc run test/vectors/bristol/aes_128.txt --garbler 00 --evaluator 00 --scheme <scheme> --json"
    Then the exit code is 0
    And the JSON result counts 6400 AND gates and <bytes> bytes of tables per AND gate
    And the garbler sent at least the tables to the evaluator

    Examples:
      | scheme     | bytes |
      | half-gates | 32    |
      | classic    | 48    |

  Scenario: A GAZELLE non-linear layer: every neuron garbled at once, on additive shares mod p
    Given the neuron circuit on shares mod 557057 with ReLU, max-pooling 4 values and shifting right by 3
    When a garbler and an evaluator run it on 600 random neurons with half-gates
    Then the client's new share of every neuron is (ReLU of the largest signed sum of shares, shifted, minus the server's mask) mod p

  Scenario: The client's input OTs precomputed offline, as in the design's offline phase
    Given the neuron circuit on shares mod 557057 with ReLU, max-pooling 4 values and shifting right by 3
    When a garbler and an evaluator run it on 1100 random neurons with half-gates and input OTs precomputed offline
    Then the client's new share of every neuron is (ReLU of the largest signed sum of shares, shifted, minus the server's mask) mod p

  Scenario: An evaluator expecting another circuit refuses the garbler with a protocol error
    When the garbler garbles "adder64.txt" while the evaluator expects "mult64.txt"
    Then the evaluator fails with a ProtocolError saying "both parties must run the same program"

  Scenario Outline: Unusual but valid circuits run from the command line
    When I run "gazelle gc run <circuit> <arguments>"
    Then the exit code is 0
    And stdout is exactly the lines "<outputs>"

    Examples: a wire that no gate sets and nothing reads; the old adder_32bit, whose bits are least significant first; zero-width inputs, which take no value
      | circuit                                         | arguments                                              | outputs   |
      | test/fixtures/bristol/unused-wire.txt           | --garbler 1                                            | 1         |
      | test/vectors/bristol/old-format/adder_32bit.txt | --bit-order lsb-first --garbler ffffffff --evaluator 1 | 100000000 |
      | test/vectors/bristol/old-format/adder_32bit.txt | --bit-order lsb-first --garbler 12345678 --evaluator 9abcdef0 | 0acf13568 |
      | test/fixtures/bristol/old-one-input.txt         | --garbler 1                                            | 0         |
      | test/fixtures/bristol/zero-width-input.txt      | --garbler 3                                            | 1         |
      | test/fixtures/bristol/zero-width-input.txt      | --evaluator 2                                          | 0         |

  Scenario Outline: TCP options from the configuration survive choosing TCP on the command line
    When I run "gazelle gc run test/vectors/bristol/adder64.txt --garbler 1 --evaluator 1 --config test/fixtures/config/tcp-invalid-frame-limit.json <choice>"
    Then the exit code is 2
    And stderr says "\"maxFrameBytes\" (largest frame accepted, in bytes) must be an integer from 1"

    Examples:
      | choice              |
      | --transport tcp     |
      | --use transport=tcp |

  Scenario Outline: Mistakes on the command line are usage errors
    When I run "gazelle gc run test/vectors/bristol/<circuit> <arguments>"
    Then the exit code is 2
    And stderr says "<message>"

    Examples:
      | circuit     | arguments                                    | message                                  |
      | aes_128.txt | --garbler 00                                 | the circuit takes 2 input values         |
      | aes_128.txt | --garbler zz --evaluator 00                  | is not a hexadecimal integer             |
      | adder64.txt | --garbler 1ffffffffffffffff --evaluator 1    | does not fit in 64 bits                  |
      | adder64.txt | --garbler 1 --evaluator 1 --scheme yao       | --scheme must be one of half-gates, classic |
      | missing.txt | --garbler 1                                  | cannot read circuit file                 |
      | aes_128.txt | --garbler -1 --evaluator 00                  | --garbler: value 1 \"-1\" is not a hexadecimal integer |
      | aes_128.txt | --garbler --evaluator 00                     | --garbler needs a value                  |
      | adder64.txt | --garbler 1 --evaluator 1 --bit-order lsb-first | --bit-order applies to old-format circuits only |
      | old-format/adder_32bit.txt | --garbler 1 --evaluator 1 --bit-order sideways | --bit-order must be one of msb-first, lsb-first |
