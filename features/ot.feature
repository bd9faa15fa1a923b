Feature: Oblivious transfer for the garbled-circuit layers
  Every client input bit of a garbled circuit costs one OT. Correlated OT is the core primitive:
  the sender (the garbler) fixes a global Δ, its free-XOR offset, and keeps m0 of each OT; the
  receiver (the evaluator) with choice bit b gets m0 ⊕ b·Δ. Random and chosen-message OT are derived
  from it. 128 Chou-Orlandi base OTs on ristretto255 seed the IKNP extension.

  Scenario Outline: Correlated OTs differ by exactly Δ, for any number of OTs
    Given an OT session with the "<extension>" extension over the "<base>" base OT
    When the parties run <count> correlated OTs with random choice bits
    Then each receiver block is the sender's m0, XOR Δ exactly where the choice bit is 1
    And the receiver's batch sent <bytes> bytes

    # IKNP traffic: a 16-byte call header, then one 128-bit row per OT (16 bytes), the count padded
    # to a multiple of 32; the trusted-dealer double sends only the header.
    Examples:
      | extension         | base                   | count | bytes  |
      | iknp              | chou-orlandi           | 0     | 16     |
      | iknp              | chou-orlandi           | 1     | 528    |
      | iknp              | chou-orlandi           | 129   | 2576   |
      | iknp              | chou-orlandi           | 5000  | 80400  |
      | insecure-ideal-ot | insecure-ideal-base-ot | 129   | 16     |

  Scenario: The receiver of chosen-message OT gets exactly the messages it chose
    Given an OT session with the "iknp" extension over the "chou-orlandi" base OT
    When the sender offers 1000 pairs of random messages and the receiver chooses at random
    Then the receiver holds exactly the chosen message of each pair

  Scenario: OTs precomputed offline are consumed online for one bit each
    Given an OT session with the "iknp" extension over the "chou-orlandi" base OT
    When the parties precompute 2000 OTs
    And the parties turn 2000 precomputed OTs into correlated OTs with fresh choice bits
    Then each receiver block is the sender's m0, XOR Δ exactly where the choice bit is 1
    And the receiver's batch sent 266 bytes

  Scenario: A desynchronised peer is detected, not silently wrong
    Given an OT session with the "iknp" extension over the "chou-orlandi" base OT
    When the receiver asks for 100 correlated OTs but the sender for 99
    Then the sender fails with a ProtocolError saying "desynchronised"
    And the sender refuses any further OT call on that session

  Scenario: An invalid curve point from the peer is a protocol error, not a crash
    When a Chou-Orlandi receiver gets a sender point that is not a valid ristretto255 encoding
    Then the receiver fails with a ProtocolError saying "not a valid ristretto255 encoding"

  Scenario: The trusted-dealer test double is refused in production
    When a production configuration selects the "insecure-ideal-ot" OT extension
    Then the configuration is refused because the plugin is "insecure-test-only"
