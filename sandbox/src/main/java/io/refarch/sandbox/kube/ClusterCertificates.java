package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
 * The CA of one emulated cluster (what GKE hands out as masterAuth.clusterCaCertificate) and the
 * serving certificate of its Kubernetes API for 127.0.0.1 and localhost. Kept in the state so
 * clients that saved the CA keep trusting the cluster after a restart.
 */
public final class ClusterCertificates {

  private final X509Certificate ca;
  private final X509Certificate server;
  private final PrivateKey serverKey;

  private ClusterCertificates(X509Certificate ca, X509Certificate server, PrivateKey serverKey) {
    this.ca = ca;
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
      Date from = Date.from(now.minus(Duration.ofHours(1)));
      Date until = Date.from(now.plus(Duration.ofDays(3650)));
      X500Name caName = new X500Name("CN=refarch-sandbox-cluster-ca");

      X509v3CertificateBuilder caBuilder =
          new JcaX509v3CertificateBuilder(caName, serial(), from, until, caName, caKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(
                      KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      X509Certificate ca = sign(caBuilder, caKeys.getPrivate());

      X509v3CertificateBuilder serverBuilder =
          new JcaX509v3CertificateBuilder(
                  caName,
                  serial(),
                  from,
                  until,
                  new X500Name("CN=kube-apiserver"),
                  serverKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(
                      new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.dNSName, "kubernetes.default"),
                      }));
      X509Certificate server = sign(serverBuilder, caKeys.getPrivate());
      return new ClusterCertificates(ca, server, serverKeys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot generate the cluster certificates", e);
    }
  }

  /** PEM of the CA, the content of masterAuth.clusterCaCertificate once base64-encoded. */
  public String caPem() {
    return pem(ca);
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
      PrivateKey key =
          KeyFactory.getInstance("EC")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(
                      Base64.getDecoder().decode(node.path("serverKey").asText())));
      return new ClusterCertificates(ca, server, key);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("the saved cluster certificates cannot be read", e);
    }
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
