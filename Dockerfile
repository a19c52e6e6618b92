# Build stage: the fat jar, built the same way as on a developer machine.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml application.properties ./
RUN mvn -B -q dependency:go-offline -DskipTests
COPY src src
RUN mvn -B -q package -DskipTests -DskipITs

# Runtime stage: a JRE 25 on glibc (snappy-java loads a native library), run as a non-root user. The jar is built
# for Java 17 and runs on 17 too, but Java 25 takes about an eighth less CPU per sample (docs/benchmarks.md).
# Camel 4.17 names Java 17 and 21 as supported (25 from Camel 4.20): every test passes on 25 (bin/test runs them
# there), and eclipse-temurin:17-jre remains a drop-in choice.
FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 --no-create-home --home-dir /app adapter
WORKDIR /app
COPY --from=build /build/target/prometheus-remote-kinesis.jar /app/prometheus-remote-kinesis.jar
# Routes and settings are plain files: mount over /app/routes or /app/application.properties to change them.
COPY routes /app/routes
COPY application.properties /app/application.properties
# A class-data sharing archive from a training start (no Kinesis needed; stopped by SIGTERM after the routes
# are up): start to ready goes from 2.5 s to 1.5 s on the build machine (docs/benchmarks.md).
RUN STREAM_NAME=training AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
    KINESIS_ENDPOINT=http://127.0.0.1:9 HTTP_HOST=127.0.0.1 \
    timeout -s TERM 20 java --sun-misc-unsafe-memory-access=allow -XX:ArchiveClassesAtExit=/app/app.jsa \
      -jar /app/prometheus-remote-kinesis.jar \
      >/dev/null 2>&1; test -s /app/app.jsa
USER 10001
# snappy-java unpacks its native library into the temporary directory, which must stay writable: with a
# read-only root file system, mount an emptyDir or tmpfs at /tmp.
# Half the container's memory is heap (the JVM's own memory comes on top: at 75% a 512 MiB container overran its
# limit). G1 by name: below 2 CPUs or ~2 GiB the JVM would pick the serial collector. 2 MiB regions: a request's
# lines buffer (about 0.8 MB for Prometheus' 2,000 samples) is then an ordinary object, not a humongous one that
# starts a marking cycle each time (measured in docs/benchmarks.md).
ENV JAVA_TOOL_OPTIONS="-XX:+UseG1GC -XX:G1HeapRegionSize=2m -XX:MaxRAMPercentage=50 -Djava.io.tmpdir=/tmp -XX:SharedArchiveFile=/app/app.jsa"
EXPOSE 9501
# Every java here allows sun.misc.Unsafe's memory access (Netty under Vert.x and protobuf use it), which Java 25
# warns of at start; the jar's manifest enables snappy-java's native access likewise. Not in JAVA_TOOL_OPTIONS:
# users replace that, and Java 17 refuses the option. The tests start the jar the same way (Adapter.java).
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["java", "--sun-misc-unsafe-memory-access=allow", "-XX:TieredStopAtLevel=1", "-Xshare:auto", \
       "-cp", "/app/prometheus-remote-kinesis.jar", "io.github.promkinesis.tools.HealthProbe"]
ENTRYPOINT ["java", "--sun-misc-unsafe-memory-access=allow", "-jar", "/app/prometheus-remote-kinesis.jar"]
