Feature: Our digit classifier stays private, exact and within its budgets
  The client's digits and the server's network C stay private (homomorphic encryption for the
  convolution and dense layers, garbled circuits for ReLU), the result is the plaintext model's bit
  for bit, and traffic, rounds and time stay within what we agreed.

  Scenario: Network C classifies test digits over TCP within its budgets
    Given network "C" with configuration "configs/over-tcp.json"
    When the client classifies 2 test digits
    Then the private results equal the plaintext reference bit for bit
    And at least 2 of them are classified correctly
    And the traffic is exactly what the plan predicts
    And every returned ciphertext keeps the flooding margin the protocol requires
    And the online traffic from client to server is at most 2 MB
    And the offline traffic from server to client is at most 5 MB
    And the offline phase takes at most 3 rounds
    And the online phase takes at most 10 s
    And a report of the figures is written to "reports/C-over-tcp"
