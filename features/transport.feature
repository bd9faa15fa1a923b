Feature: Transport: TCP framing, channel decorators and failures
  The two parties talk over a Channel. The TCP transport carries length-prefixed frames; the
  decorators count bytes and rounds per protocol phase, record what each party sees and simulate
  slower networks. Every failure is a TransportError that says what happened, and nothing hangs.

  Scenario: The counting decorator counts every byte, message and round per label
    Given a TCP channel pair counted at both ends
    When the parties exchange these messages:
      | label         | from   | bytes |
      | offline/relu1 | client | 1000  |
      | offline/relu1 | client | 24    |
      | offline/relu1 | server | 512   |
      | online/relu1  | client | 4096  |
      | online/relu1  | server | 1     |
    Then the client counts:
      | label         | sent bytes | sent messages | received bytes | received messages | rounds |
      | offline/relu1 | 1024       | 2             | 512            | 1                 | 1      |
      | online/relu1  | 4096       | 1             | 1              | 1                 | 2      |
      | total         | 5120       | 3             | 513            | 2                 | 3      |
    And the server counts the mirror image of the client's counts

  Scenario: Frames survive arbitrary fragmentation of the TCP stream
    Given a TCP server that accepts frames of at most 300 bytes
    When a raw socket writes 30 random messages of up to 2000 bytes as frames, cut into random chunks of 1 to 50 bytes with random delays
    Then the server reads exactly those messages

  Scenario Outline: A misbehaving peer ends its session with a TransportError
    Given a TCP server with an idle timeout of 200 ms and frames of at most 1024 bytes, whose sessions wait for 100 bytes
    When a raw peer <misbehaviour>
    Then the session fails with a TransportError saying "<message>"

    Examples:
      | misbehaviour                                                    | message                                                        |
      | sends a frame header announcing 100 bytes, 10 bytes, then closes | closed the connection in the middle of a frame (received 10 of 100 payload bytes): truncated frame |
      | sends "GET / HTTP/1.1"                                            | malformed frame header                                         |
      | sends a frame header announcing 2048 bytes                       | incoming frame of 2048 bytes exceeds maxFrameBytes = 1024      |
      | sends a 10-byte frame, then disconnects                          | the peer closed the connection (had 10 of 100 bytes: truncated message) |
      | connects and sends nothing                                       | no data for 200 ms while waiting for 100 bytes                 |

  Scenario: Connecting to a port where nothing listens
    When a client connects to a port where nothing listens
    Then the connect fails with a TransportError saying "connection refused"

  Scenario: Connecting to a server that never answers times out
    Given a server that completes no more TCP handshakes
    When a client connects to it with a connect timeout of 150 ms
    Then the connect fails with a TransportError saying "timed out after 150 ms"

  Scenario: Sending after close
    Given a TCP channel pair
    When the client closes its channel
    Then a send on the client fails with a TransportError saying "send after close"
    And a recv on the server fails with a TransportError saying "the peer closed the connection"

  Scenario: The server keeps serving while one session misbehaves
    Given a TCP echo server
    When a client starts a session
    And a raw socket sends garbage to the server
    Then the server drops the garbage connection
    And the client's session completes
    And a new session completes
    And the server counts 2 completed sessions and 1 failed

  Scenario Outline: Shaping delays a 1 MB transfer by latency plus size over bandwidth
    Given a <transport> channel pair shaped to 50 ms one-way latency and 20 MB/s
    When the client sends 1 MB and the server receives it
    Then the transfer took at least 100 ms and less than 600 ms

    Examples:
      | transport |
      | in-memory |
      | TCP       |
