Feature: Command line and plugin selection
  Users pick one plugin per kind by configuration, and can load their own plugin modules
  without editing the project.

  Scenario: Listing the plugins as JSON
    When I run "gazelle plugins --json"
    Then the exit code is 0
    And the JSON output lists a "transport" plugin named "in-memory" with security model "semi-honest"

  Scenario: An external module replaces a built-in plugin
    When I run "gazelle plugins --json --plugin test/fixtures/external-plugin.ts"
    Then the exit code is 0
    And the JSON output lists the "transport" plugin "in-memory" as loaded from "test/fixtures/external-plugin.ts"

  Scenario: An unknown plugin name is a configuration error naming the choices
    When I run "gazelle plugins --use transport=carrier-pigeon"
    Then the exit code is 2
    And stderr says "unknown transport plugin \"carrier-pigeon\"; valid choices:"

  Scenario: An unknown command is a usage error
    When I run "gazelle teleport"
    Then the exit code is 2
    And stderr says "unknown command \"teleport\""
