Feature: Privacy audit of the protocol's building blocks
  Each party's view — its input, its randomness, the messages it received and what it derived — must
  not depend on the other party's secret beyond its own output (semi-honest security). The audit
  collects views by fixed-vs-random leakage assessment (the other party's secret fixed, or fresh
  each run, runs interleaved at random; the observer's input and randomness seeded and held fixed)
  and runs named checks: shape, canary, repeated-blocks, uniform-bytes, uniform-shares,
  fixed-vs-random and real-vs-simulated (against a simulator given only the observer's input and
  output). Each statistical check controls its false alarms at α = 0.001 with Holm's correction and
  is retried once on fresh views. A check that catches nothing proves nothing: every deliberately
  leaky variant below must be flagged, by the right check.

  Scenario Outline: The secure building blocks pass every check
    Given the privacy audit of the <view> with the <kind> plugin "<plugin>"
    When the audit runs
    Then every check passes
    And each statistical check prints the effect it could detect

    Examples:
      | view                            | kind         | plugin    |
      | OT sender's view                | ot-extension | iknp      |
      | evaluator's view of a ReLU layer | garbling     | half-gates |
      | client's view of a linear layer | he           | seal-bfv  |

  Scenario Outline: Each leaky variant is flagged by the check that targets its leak
    Given the privacy audit of the <view> with the <kind> plugin "<plugin>"
    When the audit runs
    Then the check "<check>" fails

    Examples:
      | view                            | kind         | plugin                           | check                       |
      | OT sender's view                | ot-extension | insecure-iknp-pad-reuse          | repeated-blocks             |
      | OT sender's view                | ot-extension | insecure-iknp-fixed-seed         | canary                      |
      | evaluator's view of a ReLU layer | garbling     | insecure-half-gates-permute-leak | fixed-vs-random:permute-bits |
      | client's view of a linear layer | he           | insecure-seal-bfv-no-flooding    | fixed-vs-random:noise       |
      | client's view of a linear layer | he           | insecure-seal-bfv-no-flooding    | real-vs-simulated:noise     |

  Scenario: The leaky variants are refused outside the test profile
    When a production configuration selects the "insecure-iknp-pad-reuse" OT extension
    Then the configuration is refused because the plugin is "insecure-test-only"
