Feature: Comparisons, reports and the step library in a user's project
  `gazelle compare` runs one network under several plugin configurations and writes a side-by-side
  report (JSON, Markdown, and a self-contained HTML page with grouped bar charts). A configuration
  that fails a check is marked, never left out. The step library (`gazelle-ts/harness-steps`) runs
  a user's own features from the user's own project, with one line of cucumber configuration.

  Scenario: Half-gates against classic garbling on network A
    When I compare the configurations "secure,classic" on network "A" with 1 inference
    Then every configuration ran and the command exited with 0
    And the configuration "secure" passed every check
    And the configuration "classic" passed every check
    And "classic" and "secure" send the same bytes online and the same setup bytes from client to server
    # Garbled tables: 48 bytes per AND gate (row-reduced Yao) against 32 (half-gates); labels and decode bits are the same.
    And "classic" sends between 1.3 and 1.5 times the offline bytes from server to client of "secure"
    And the HTML report is self-contained, with 5 charts holding a bar for each configuration

  Scenario: Secure against fast HE parameters on network C: the fast preset is marked, not hidden
    When I compare the configurations "secure,fast" on network "C" with 1 inference
    Then every configuration ran and the command exited with 0
    And the configuration "secure" passed every check
    And the configuration "fast" is marked for its flooding margin below the requirement, its other checks passed
    And "fast" sends fewer setup bytes from client to server than "secure"
    And the Markdown report has a column for each configuration and marks "fast"
    And the HTML report is self-contained, with 5 charts holding a bar for each configuration

  Scenario Outline: A comparison that cannot run is refused before anything runs: <problem>
    When I run "gazelle compare <arguments>"
    Then the exit code is 2
    And stderr says '<message>'

    Examples:
      | problem                        | arguments                                                                                | message                                                                  |
      | one configuration              | --configs secure --network C --out .tmp/none                                             | --configs needs two or more configurations                               |
      | an unknown name                | --configs secure,nonesuch --network C --out .tmp/none                                    | no configuration "nonesuch": name one of classic, fast, secure, tcp, wan |
      | a file that does not exist     | --configs secure,missing.json --network C --out .tmp/none                                | cannot read configuration file                                           |
      | an insecure plugin, production | --configs secure,test/fixtures/config/insecure-ideal-ot.json --network C --out .tmp/none | ot-extension plugin "insecure-ideal-ot" is insecure-test-only            |
      | no report directory            | --configs secure,fast --network C                                                        | missing --out                                                            |

  Scenario: A user's project runs its own features with the step library
    Given the example project examples/user-project, with the packed package installed
    And features of its own with a budget below what the protocol sends and a leaky mask sampler
    When that project runs cucumber-js with plain node
    Then its example scenario passes and writes its HTML report
    And the scenario over budget fails at its budget, saying what was measured and by how much it is over
    And the leaky scenario fails at the privacy step, naming the check that targets all-zero masks
