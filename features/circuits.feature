Feature: Boolean circuits for the garbled non-linear layers
  Circuits come from Bristol files (Bristol Fashion and the old Bristol format) or from the circuit
  library, which is written once against the CircuitBackend interface. Values are read least
  significant bit first whatever the source; readers reject malformed files with the line at fault.

  Scenario: FIPS-197 through the Bristol Fashion AES-128 circuit
    Given the Bristol circuit "aes_128.txt"
    When I run it on the plaintext backend with key "000102030405060708090a0b0c0d0e0f" and plaintext "00112233445566778899aabbccddeeff"
    Then the ciphertext is "69c4e0d86a7b0430d8cdb78070b4c55a"
    And the circuit has 6400 AND gates in 60 AND levels

  Scenario: FIPS-197 through the old-format AES circuit, which takes the plaintext first
    Given the Bristol circuit "old-format/AES-non-expanded.txt"
    When I run it on the plaintext backend with plaintext "00112233445566778899aabbccddeeff" and key "000102030405060708090a0b0c0d0e0f"
    Then the ciphertext is "69c4e0d86a7b0430d8cdb78070b4c55a"

  Scenario Outline: Malformed Bristol Fashion files are rejected with the line at fault
    Given Bristol Fashion text whose <defect>
    When I read it
    Then reading fails with a circuit format error at line <line> saying '<message>'

    Examples:
      | defect                              | line | message                          |
      | gate uses a wire before it is set   | 5    | wire 3 is used before it is set  |
      | gate names an unknown operation     | 6    | unknown gate "NAND"              |
      | gate list stops early               | 5    | truncated: expected gate 2 of 2  |
      | wire index is out of range          | 6    | wire 9 is out of range [0, 4)    |
      | output wire is never set            | 5    | output wire 3 is never set       |
      | header declares absurdly many wires | 1    | more than the limit              |
      | inputs disagree with their count    | 2    | expected 3 numbers, found 2      |

  Scenario Outline: AND gates of the library circuits
    When I count the gates of <function> for p = <p>
    Then it uses <ands> AND gates

    Examples:
      | function                                     | p      | ands |
      | the mod-p addition of two shares             | 557057 | 59   |
      | the mod-p subtraction                        | 557057 | 39   |
      | the ReLU of a Z_p value                      | 557057 | 38   |
      | the ReLU neuron on shares with output mask   | 557057 | 102  |
      | the ReLU neuron on shares with output mask   | 65537  | 83   |
      | the ReLU neuron on shares with output mask   | 786433 | 99   |
      | the literal share-add, ReLU, mask-subtract   | 557057 | 136  |
      | the MaxPool-4 ReLU neuron shifted right by 6 | 557057 | 333  |
      | the MaxPool-4 ReLU of 20-bit values          | 557057 | 139  |
      | the argmax of 8 values of 20 bits            | 557057 | 264  |

  Scenario Outline: A ReLU on shares costs fewer AND gates than GAZELLE's circuit
    When I count the gates of the ReLU neuron on shares with output mask for p = <p>
    Then it uses at most 6w - 4 AND gates with w = <w>, fewer than GAZELLE's 8w + 2 for the ReLU alone

    Examples:
      | p      | w  |
      | 3      | 2  |
      | 8191   | 13 |
      | 65537  | 17 |
      | 557057 | 20 |
      | 786433 | 20 |
