package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA and the serving certificate it issued, at first for 127.0.0.1 and localhost: the CA of the
 * sandbox's clusters (what GKE hands out as masterAuth.clusterCaCertificate; see {@link
 * KubeListener}) and of the Azure endpoint. Kept in the state, with the CA's key so the serving
 * certificate can be issued again for other addresses ({@link #forAddresses}), so clients that
 * saved the CA keep trusting the sandbox after a restart.
 */
public final class ClusterCertificates {

  private static final X500Name CA_NAME = new X500Name("CN=refarch-sandbox-cluster-ca");

  private final X509Certificate ca;
  private final PrivateKey caKey;
  private final X509Certificate server;
  private final PrivateKey serverKey;

  private ClusterCertificates(
      X509Certificate ca, PrivateKey caKey, X509Certificate server, PrivateKey serverKey) {
    this.ca = ca;
    this.caKey = caKey;
    this.server = server;
    this.serverKey = serverKey;
  }

  public static ClusterCertificates generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair serverKeys = generator.generateKeyPair();
      Instant now = Instant.now();
      X509v3CertificateBuilder caBuilder =
          new JcaX509v3CertificateBuilder(
                  CA_NAME,
                  serial(),
                  Date.from(now.minus(Duration.ofHours(1))),
                  Date.from(now.plus(Duration.ofDays(3650))),
                  CA_NAME,
                  caKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(
                      KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      X509Certificate ca = sign(caBuilder, caKeys.getPrivate());
      X509Certificate server =
          serving(
              ca,
              caKeys.getPrivate(),
              serverKeys.getPublic(),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost"));
      return new ClusterCertificates(ca, caKeys.getPrivate(), server, serverKeys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot generate the cluster certificates", e);
    }
  }

  /**
   * The same CA and serving key with a serving certificate for exactly {@code addresses}: clients
   * check the IP they dialled against the certificate's IP SANs. The key stays, so a handshake that
   * read the chain before the certificate was issued again still holds.
   */
  public ClusterCertificates forAddresses(Collection<InetAddress> addresses) {
    if (caKey == null) {
      throw new IllegalStateException("the CA's key was not kept; no certificate can be issued");
    }
    try {
      GeneralName[] names =
          addresses.stream()
              .map(a -> new GeneralName(GeneralName.iPAddress, a.getHostAddress()))
              .toArray(GeneralName[]::new);
      return new ClusterCertificates(
          ca, caKey, serving(ca, caKey, server.getPublicKey(), names), serverKey);
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot issue the serving certificate", e);
    }
  }

  private static X509Certificate serving(
      X509Certificate ca, PrivateKey caKey, PublicKey serverKey, GeneralName... addresses)
      throws GeneralSecurityException, OperatorCreationException, java.io.IOException {
    GeneralName[] names = Arrays.copyOf(addresses, addresses.length + 1);
    names[addresses.length] = new GeneralName(GeneralName.dNSName, "kubernetes.default");
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                CA_NAME,
                serial(),
                ca.getNotBefore(),
                ca.getNotAfter(),
                new X500Name("CN=kube-apiserver"),
                serverKey)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    return sign(builder, caKey);
  }

  /** PEM of the CA, the content of masterAuth.clusterCaCertificate once base64-encoded. */
  public String caPem() {
    return pem(ca);
  }

  /** The serving certificate and the CA, as a TLS server sends them. */
  X509Certificate[] chain() {
    return new X509Certificate[] {server, ca};
  }

  PrivateKey serverKey() {
    return serverKey;
  }

  public SSLContext sslContext() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "sandbox".toCharArray();
      store.setKeyEntry("server", serverKey, password, new Certificate[] {server, ca});
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the TLS context of the Kubernetes API", e);
    }
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("ca", pem(ca));
    if (caKey != null) {
      node.put("caKey", Base64.getEncoder().encodeToString(caKey.getEncoded()));
    }
    node.put("server", pem(server));
    node.put("serverKey", Base64.getEncoder().encodeToString(serverKey.getEncoded()));
    return node;
  }

  public static ClusterCertificates fromJson(JsonNode node) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      X509Certificate ca =
          (X509Certificate)
              factory.generateCertificate(
                  new ByteArrayInputStream(
                      node.path("ca").asText().getBytes(StandardCharsets.US_ASCII)));
      X509Certificate server =
          (X509Certificate)
              factory.generateCertificate(
                  new ByteArrayInputStream(
                      node.path("server").asText().getBytes(StandardCharsets.US_ASCII)));
      // States saved before the CA's key was kept have none: such a CA issues nothing more.
      PrivateKey caKey = node.hasNonNull("caKey") ? key(node.path("caKey")) : null;
      return new ClusterCertificates(ca, caKey, server, key(node.path("serverKey")));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("the saved cluster certificates cannot be read", e);
    }
  }

  private static PrivateKey key(JsonNode base64) throws GeneralSecurityException {
    return KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64.asText())));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
  }

  private static String pem(X509Certificate cert) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
