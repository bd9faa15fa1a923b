Feature: Privacy audit of private inferences and of the protocol's building blocks
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

  # Whole inferences (harness/inference-audit.ts): real sessions of the engine, the observer's end
  # recorded and what the client derives reported by the engine's test-profile observer. The client's
  # view varies the server's weights (fixed: the all-ones model; random: uniform within the model's
  # magnitudes), the server's view the client's image; the observer's input and seeded randomness
  # stay fixed. 2 sessions per class of 2 inferences each (a pad reused between two OT calls shows;
  # every slot is seen 4 times under the fixed secret, per-slot-masks needs 3). Each view holds tens of thousands of shares (every slot of
  # every returned ciphertext, not only those the client unpacks), noise coefficients and permute
  # bits, so the pooled tests detect small effects (printed: e.g. Cohen's w 0.07 on the shares, a
  # KS distance of 0.02), while the leaky variants' effects are far larger (a zero or `% p` mask:
  # w ≥ 0.17; a leaked permute bit: w ≈ 0.7) or deterministic (repeated blocks, a margin below the
  # requirement). The clean configuration is the default one: seal-bfv at its secure preset.

  Scenario Outline: A whole private inference with the default plugins passes every check
    Given the privacy audit of the <party>'s view of private inferences with network "<network>"
    When the audit runs
    Then every check passes
    And each statistical check prints the effect it could detect

    Examples:
      | party  | network |
      | client | A       |
      | server | A       |
      | client | C       |
      | server | C       |

  # The leaks below do not depend on SEAL, so these audits run on the plaintext HE test double
  # (insecure-plain-he: seconds instead of tens of seconds), which the audit itself flags — it floods
  # nothing (circuit-privacy-margin) and the server would read the client's shares (canary) — and
  # only the named checks are asserted. No flooding is the exception: it needs real SEAL noise.
  Scenario Outline: Each leaky variant of a whole inference is flagged by the check that targets its leak
    Given the privacy audit of the <party>'s view of private inferences with network "A", the <kind> plugin "<plugin>" and the HE plugin "<he>"
    When the audit runs
    Then the checks "<checks>" fail

    Examples:
      | party  | kind         | plugin                           | he                | checks                                          |
      | client | masks        | insecure-masks-zero              | insecure-plain-he | uniform-shares, real-vs-simulated:shares        |
      | client | masks        | insecure-masks-biased            | insecure-plain-he | uniform-shares                                  |
      | client | masks        | insecure-masks-reused            | insecure-plain-he | independent-shares                              |
      | client | masks        | insecure-masks-fixed-seed        | insecure-plain-he | fresh-shares                                    |
      | client | masks        | insecure-masks-skip-last-slot    | insecure-plain-he | per-slot-masks                                  |
      | client | garbling     | insecure-half-gates-permute-leak | insecure-plain-he | uniform-permute-bits, real-vs-simulated:permute-bits |
      | server | ot-extension | insecure-iknp-pad-reuse          | insecure-plain-he | two-time-pad                                    |
      | server | ot-extension | insecure-iknp-fixed-seed         | insecure-plain-he | repeated-blocks                                 |
      | client | he           | insecure-seal-bfv-no-flooding    | -                 | circuit-privacy-margin, real-vs-simulated:noise |

  Scenario Outline: The leaky mask samplers are refused outside the test profile
    When a production configuration selects the masks plugin "<plugin>"
    Then the configuration is refused because the plugin is "insecure-test-only"

    Examples:
      | plugin                    |
      | insecure-masks-zero       |
      | insecure-masks-biased     |
      | insecure-masks-reused     |
      | insecure-masks-fixed-seed |
      | insecure-masks-skip-last-slot |

  # `gazelle audit` (cli/commands/audit.ts): the same audit from the command line, reports in --out.
  Scenario: gazelle audit of the default configuration passes and writes its reports
    Given a new directory "out"
    When I run "gazelle audit --network A --observer client --runs 2 --inferences 2 --seed cli --out <out>"
    Then the exit code is 0
    And stdout says "PASS: privacy audit of network A"
    And the audit reports in "out" say "pass" for network "A"

  Scenario: gazelle audit puts a third party's mask sampler under audit and fails it
    Given a third party's masks plugin module "word-mod-p" outside the project that reduces random words mod p
    And a new directory "out"
    When I run "gazelle audit --network A --observer client --runs 2 --inferences 2 --seed cli --profile test --use he=insecure-plain-he --plugin <module> --use masks=word-mod-p --out <out>"
    Then the exit code is 1
    And the audit reports in "out" say "fail" for network "A"
    And the client's check "uniform-shares" fails in the report in "out"
    And the report in "out" names the "masks" plugin "word-mod-p" loaded from that module

  Scenario: gazelle audit refuses too few inferences to judge every slot
    When I run "gazelle audit --network A --runs 2 --inferences 1 --out .tmp/never-written"
    Then the exit code is 2
    And stderr says "the client's view needs runs per class × inferences per session ≥ 3"
