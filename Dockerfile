# The export service image: one image, the command picks the role (worker, webhook, codec-server,
# setup-temporal, connect, doctor…). Workflows are bundled at build time so every worker runs
# byte-identical workflow code. Only the service goes in: its sources and the two workspace packages
# it depends on (Pleo's API, the demo company's chart); the sandboxes, tests and bench stay out
# (.dockerignore lets nothing else into the build context).
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/pleo-api/package.json ./packages/pleo-api/
COPY packages/demo-company/package.json ./packages/demo-company/
RUN npm ci --ignore-scripts && npm rebuild
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY packages/pleo-api/src ./packages/pleo-api/src
COPY packages/demo-company/src ./packages/demo-company/src
COPY src ./src
# ensure-dist compiles into dist/ and links the compiled packages as dist/node_modules/@pleo-export/*;
# the workspace links in node_modules point at TypeScript sources the runtime stage does not have.
RUN node bin/ensure-dist.js && node dist/src/worker/build-bundle.js dist/workflow-bundle.js \
  && npm prune --omit=dev && rm -rf node_modules/@pleo-export

FROM node:20.19-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
ENTRYPOINT ["node", "bin/pleo-export.js"]
CMD ["--help"]
