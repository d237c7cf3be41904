# syntax=docker/dockerfile:1
# Build context: the repository root. One image for every role: LYNQ_ROLE=all (default) | web | worker | scoring,
# LYNQ_STORAGE=Embedded (default) | PostgreSQL. See docker-compose.yml for a scale-out.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first: the restore layer is reused until a dependency changes.
COPY LynqDashboard.sln Directory.Build.props Directory.Packages.props ./
COPY src/LynqDashboard.Core/LynqDashboard.Core.csproj src/LynqDashboard.Core/
COPY src/LynqDashboard.Infrastructure/LynqDashboard.Infrastructure.csproj src/LynqDashboard.Infrastructure/
COPY src/LynqDashboard.Web/LynqDashboard.Web.csproj src/LynqDashboard.Web/
RUN dotnet restore src/LynqDashboard.Web/LynqDashboard.Web.csproj
COPY src/ src/
# The root wwwroot and appsettings.json are the app's own (the web project links them).
COPY wwwroot/ wwwroot/
COPY appsettings.json ./
RUN dotnet publish src/LynqDashboard.Web/LynqDashboard.Web.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# JSON log lines with their scopes: every line of a request carries RequestId, every line of a job JobId and RunId.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    LYNQ_DATA_DIR=/data \
    LYNQ_ROLE=all \
    LYNQ_STORAGE=Embedded \
    Logging__Console__FormatterName=json \
    Logging__Console__FormatterOptions__IncludeScopes=true \
    Logging__Console__FormatterOptions__TimestampFormat="yyyy-MM-ddTHH:mm:ss.fffZ" \
    Logging__Console__FormatterOptions__UseUtcTimestamp=true
# The aspnet image's non-root user (APP_UID) owns the data folder; nothing runs as root.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
USER $APP_UID
EXPOSE 8080
# The aspnet image has no curl or wget; bash's /dev/tcp speaks just enough HTTP for a health probe. Every role answers /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "LynqDashboard.Web.dll"]
