Feature: BFV homomorphic encryption backend (seal-bfv)
  The server computes on the client's encrypted slot vectors with the seal-bfv plugin. What it returns
  must decrypt correctly and must not reveal its weights through the decryption noise: it floods the
  noise (design section 5) and reports the statistical margin it achieved, in bits.

  Scenario Outline: presets keep SEAL's 128-bit security and report their flooding margin honestly
    Given the BFV backend "seal-bfv" with preset "<preset>" accepting a lower margin
    Then the BFV ring dimension is <n>
    And the BFV coefficient modulus fits SEAL's 128-bit security limit for that ring dimension
    And the BFV plaintext modulus is a prime congruent to 1 modulo 2n
    And the BFV reference-layer flooding margin is <relation> 40 bits

    Examples:
      | preset | n    | relation |
      | secure | 8192 | at least |
      | fast   | 4096 | below    |

  Scenario: a preset below the requested margin is refused unless the user accepts it
    When the BFV backend "seal-bfv" is created with preset "fast"
    Then the BFV backend fails with a SecurityError saying "acceptLowerMargin"

  Scenario: the leaky variant without flooding is refused in a production configuration
    When a production configuration selects the BFV backend "insecure-seal-bfv-no-flooding"
    Then the BFV backend fails with a ConfigError saying "insecure-test-only"

  Scenario: symmetric uploads take about half the bytes of public-key encryptions
    Given the BFV backend "seal-bfv" with preset "fast" accepting a lower margin
    When the client encrypts a random slot vector symmetrically and the server encrypts it with the public key
    Then the symmetric ciphertext is between 49% and 51% of the size of the public-key one
    And both BFV ciphertexts decrypt to that slot vector

  Scenario Outline: garbage from the peer is a protocol error and breaks nothing
    Given the BFV backend "seal-bfv" with preset "fast" accepting a lower margin
    When the server deserialises <garbage>
    Then the BFV backend fails with a ProtocolError saying "<message>"
    And the BFV backend still decrypts a fresh upload correctly

    Examples:
      | garbage                                  | message                    |
      | random bytes                             | seal-bfv                   |
      | a ciphertext cut short by 8 bytes        | truncated                  |
      | a ciphertext with a corrupted parms_id   | parms_id                   |
      | a ciphertext with a coefficient above q  | not below the limb's prime |
      | a ciphertext with an unknown PRNG type   | PRNG type                  |
      | server keys cut short by 1 byte          | server keys                |

  Scenario: weights that are all zero never break the backend
    Packed layers multiply by weight plaintexts that are all zero (a ciphertext's unused channels, or
    weights quantised to 0). SEAL refuses such a product, and node-seal cannot recover from a refusal:
    a few hundred of them used to corrupt it for the rest of the process.
    Given the BFV backend "seal-bfv" with preset "fast" accepting a lower margin
    When the server multiplies an upload by all-zero weights 500 times and adds up the products
    Then their sum decrypts to zero and node-seal raised no exception
    And the BFV backend still decrypts a fresh upload correctly

  Scenario: returned ciphertexts report their margin; a ciphertext below the requested margin is refused
    Given the BFV backend "seal-bfv" with preset "secure" requiring a margin of 60 bits
    When the server returns the product of an upload with random weights
    Then the returned BFV ciphertext decrypts to the slot-wise product mod p
    And the reported flooding margin is at least 60 bits
    When the server returns the product of an upload with random weights applied twice
    Then the BFV backend fails with a SecurityError saying "below the required 60"

  Scenario Outline: the decryption noise reveals the weights only without flooding
    Given the BFV backend "<plugin>" with preset "<preset>" accepting a lower margin
    When the decryption noise of returned ciphertexts is compared between all-ones and uniform weights
    Then the two-sample KS test <verdict>

    Examples:
      | plugin                        | preset | verdict                         |
      | insecure-seal-bfv-no-flooding | fast   | tells them apart with p < 0.001 |
      | seal-bfv                      | fast   | finds no difference, p > 0.01   |
      | seal-bfv                      | secure | finds no difference, p > 0.01   |
