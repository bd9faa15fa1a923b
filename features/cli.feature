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
