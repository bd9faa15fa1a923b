Feature: Command line and plugin selection
  Users pick one plugin per kind by configuration, and can load their own plugin modules
  without editing the project.

  Scenario: Listing the plugins as JSON
    When I run "gazelle plugins --json"
    Then the exit code is 0
    And the JSON output lists a "transport" plugin named "in-memory" with security model "semi-honest"

  Scenario: A module outside the project replaces a built-in plugin
    Given a plugin module outside the project that declares the "transport" plugin "in-memory"
    When I run "gazelle plugins --json --plugin <module>"
    Then the exit code is 0
    And the JSON output lists the "transport" plugin "in-memory" as loaded from that module

  Scenario: A module that exports no plugin is a configuration error
    When I run "gazelle plugins --plugin test/fixtures/not-a-plugin.ts"
    Then the exit code is 2
    And stderr says "exports no plugin"

  Scenario: An insecure test double is refused in a production configuration
    Given a plugin module outside the project that declares the insecure "transport" plugin "leaky-pipe"
    When I run "gazelle plugins --plugin <module> --use transport=leaky-pipe"
    Then the exit code is 2
    And stderr says "insecure-test-only and the profile is \"production\""

  Scenario: An unknown plugin name is a configuration error naming the choices
    When I run "gazelle plugins --use transport=carrier-pigeon"
    Then the exit code is 2
    And stderr says "unknown transport plugin \"carrier-pigeon\"; valid choices:"

  Scenario: An unknown command is a usage error
    When I run "gazelle teleport"
    Then the exit code is 2
    And stderr says "unknown command \"teleport\""

  Scenario Outline: Mistakes in how a command is called are usage errors in plain words
    When I run "<command line>"
    Then the exit code is 2
    And stderr says "<message>"
    And stderr does not say "TypeError"

    Examples:
      | command line                                                   | message                                              |
      | gazelle gc run test/vectors/bristol/adder64.txt --bogus        | UsageError: unknown option --bogus                   |
      | gazelle plugins --json=yes                                     | UsageError: --json takes no value                    |
      | gazelle plugins --config                                       | UsageError: --config needs a value                   |
      | gazelle gc run /dev/zero --garbler 1                           | is larger than the limit of 64 MiB                   |

  Scenario: A plugin module whose loading can never finish is a configuration error, not a silent exit
    When I run "gazelle plugins --plugin test/fixtures/never-settling-plugin.mjs"
    Then the exit code is 2
    And stderr says "never-settling-plugin.mjs never finished loading"

  Scenario: --quiet prints the results only
    When I run "gazelle gc run test/vectors/bristol/adder64.txt --garbler 1 --evaluator 1 --quiet"
    Then the exit code is 0
    And stdout is exactly the lines "0000000000000002"
    And stderr is empty

  Scenario: Without --quiet, a summary in human units goes to stderr
    When I run "gazelle gc run test/vectors/bristol/adder64.txt --garbler 1 --evaluator 1"
    Then the exit code is 0
    And stdout is exactly the lines "0000000000000002"
    And stderr says "63 AND gates (half-gates, 2.02 kB of tables); sent "

  Scenario Outline: Every command's help explains its options and shows examples
    When I run "gazelle <command> --help"
    Then the exit code is 0
    And stdout says "Examples:"
    And stdout says "gazelle <command> "
    And stdout says "<option>"
    And stdout says "<explanation>"

    Examples:
      | command | option                           | explanation                                        |
      | bench   | --quick                          | small sizes and single repeats                     |
      | bench   | --network-profile local\|lan\|wan | WAN = 400 Mbit/s with 20 ms one way               |
      | gc      | --bit-order msb-first\|lsb-first | lsb-first for the arithmetic ones                  |
      | plugins | --quiet                          | no progress bars and no informational lines        |

  Scenario: Benchmarks print tables in human units unless --json
    When I run "gazelle bench circuit --quick"
    Then the exit code is 0
    And stdout says "neurons per second"
    And stdout says "/s"
    And stdout does not say "{"

  Scenario Outline: A network profile shapes the link between the parties
    When I run "gazelle gc run test/vectors/bristol/aes_128.txt --garbler 00 --evaluator 00 --json <network>"
    Then the exit code is 0
    And the run was over a "<profile>" network with <latency> ms one way and <mbps> Mbit/s
    And the run took at least one one-way delay plus the garbler's bytes at the link speed

    Examples: the presets (OpenCheetah's), a configuration's profile refined on the command line, and a slow link (1.7 s for AES's 211 kB)
      | network                                                 | profile | latency | mbps |
      | --network-profile wan                                   | wan     | 20      | 400  |
      | --network-profile lan --transport tcp                   | lan     | 0.15    | 3000 |
      | --config test/fixtures/config/wan.json --latency-ms 5   | custom  | 5       | 400  |
      | --bandwidth-mbps 1                                      | custom  | 0       | 1    |

  Scenario Outline: Network options are checked
    When I run "<command line>"
    Then the exit code is 2
    And stderr says "<message>"

    Examples:
      | command line                                                                         | message                                                  |
      | gazelle gc run test/vectors/bristol/adder64.txt --garbler 1 --network-profile moon   | --network-profile must be one of local, lan, wan         |
      | gazelle gc run test/vectors/bristol/adder64.txt --garbler 1 --latency-ms -5          | --latency-ms must be a number from 0 to 86400000         |
      | gazelle bench ot --quick --network-profile wan                                       | bench suite \"ot\" measures without a network            |

  Scenario: The package is used from another project with plain Node, its types from the declarations
    Given the package packed by npm and installed in a project outside the repository
    When that project runs its JavaScript with plain node, importing "gazelle-ts" and "gazelle-ts/plugin"
    Then it prints the AES-128 ciphertext of FIPS-197 C.1, garbled over the LAN profile
    And the project's TypeScript type-checks against the package's declarations
    And the installed package's gazelle command lists the plugins
