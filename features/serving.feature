Feature: Serving private inference: many clients, broken clients, and a clean shutdown
  A model owner runs "gazelle serve"; clients classify their images against it with
  "gazelle infer --connect". Each client runs in its own session: clients at the same time get
  the same results as alone, a client that breaks down or misbehaves ends only its own session,
  clients beyond the session cap are told the server is busy, and SIGTERM lets the running
  sessions finish before the server exits. The server logs one JSON line per event, and never a
  secret. (These scenarios use the plaintext HE test double: the serving is the point, not the HE.)

  Scenario: Two clients at the same time both get exactly the plaintext reference's result
    Given "gazelle serve" runs network "C" with "--max-sessions 3 --idle-timeout 8"
    When two clients classify 2 random images each at the same time
    Then every client got the plaintext reference's result bit for bit
    And the log shows 2 sessions ended, each with its handshake, HE keys, base OTs and 2 offline and online phases

  Scenario: The command-line client gets the plaintext reference's result from the server
    Given "gazelle serve" runs network "C" with "--max-sessions 3 --idle-timeout 8"
    When I run "gazelle infer --connect <server> --image data/mnist/t10k-images-idx3-ubyte.gz:0 --json --profile test --use he=insecure-plain-he"
    Then the exit code is 0
    And the JSON result is the plaintext reference's for image "data/mnist/t10k-images-idx3-ubyte.gz:0", with the server's model fingerprint

  Scenario: A client killed in the middle of the protocol does not disturb another
    Given "gazelle serve" runs network "C" with "--max-sessions 3 --idle-timeout 8"
    When a "gazelle infer --connect" client is killed once the server has its HE keys, while another client classifies 2 random images
    Then every client got the plaintext reference's result bit for bit
    And the log shows a session error saying the connection was cut
    And after the next session the server holds as many native objects as after the first

  Scenario: Clients that misbehave end only their own sessions, each with its cause in the log
    Given "gazelle serve" runs network "C" with "--max-sessions 3 --idle-timeout 8"
    When clients misbehave, each in its own session:
      | misbehaviour                                      | cause                                               |
      | sends garbage instead of frames                   | malformed frame header                              |
      | stops in the middle of a frame                    | truncated frame                                     |
      | announces a frame larger than the server accepts  | exceeds maxFrameBytes                               |
      | announces a message of 4 GB                       | more than the 1048576 allowed                       |
      | says nothing after the server's announcement      | no data for 8000 ms                                 |
      | answers in another protocol version               | the client speaks protocol "gazelle-inference/0"    |
    Then the log shows each session's error with its cause
    And a client that comes next classifies 1 random image correctly

  Scenario: A client beyond the session cap is told the server is busy
    Given "gazelle serve" runs network "C" with "--max-sessions 3 --idle-timeout 8"
    Given 3 clients hold sessions open
    When I run "gazelle infer --connect <server> --image data/mnist/t10k-images-idx3-ubyte.gz:0 --profile test --use he=insecure-plain-he"
    Then the exit code is 1
    And stderr says "the server refused the session: busy: 3 sessions running"
    And the log shows the refusal

  Scenario: A client refuses a server that speaks another protocol version, saying which
    Given a server that announces protocol "gazelle-inference/2"
    When I run "gazelle infer --connect <server> --image data/mnist/t10k-images-idx3-ubyte.gz:0 --profile test --use he=insecure-plain-he"
    Then the exit code is 1
    And stderr says "the server speaks protocol \"gazelle-inference/2\"; this client speaks gazelle-inference/1"

  Scenario: SIGTERM lets the running session finish, refuses new ones, then the server exits 0
    Given "gazelle serve" runs network "C" with "--max-sessions 3 --idle-timeout 8"
    Given a client has set up its session
    When the server receives SIGTERM
    Then a new client is refused with "the server is shutting down"
    And the running client still classifies 1 random image correctly
    And the server exits with code 0 after logging "stopped"

  Scenario: The log holds none of the model's weights, the client's image, keys, ciphertexts, labels or shares
    Given "gazelle serve" runs network "C" with "--max-sessions 3 --idle-timeout 8"
    When two clients classify 2 random images each at the same time
    Then the log holds no secret of either party
