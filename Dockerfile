# syntax=docker/dockerfile:1
# Build context: the repository root. The image serves the web app (dashboard, API, /health).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY LynqDashboard.sln Directory.Build.props Directory.Packages.props ./
COPY src/ src/
COPY wwwroot/ wwwroot/
COPY appsettings.json ./
RUN dotnet publish src/LynqDashboard.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    LYNQ_DATA_DIR=/data
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
USER $APP_UID
EXPOSE 8080
# The aspnet image has no curl or wget; bash's /dev/tcp speaks just enough HTTP for a health probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "LynqDashboard.Web.dll"]
