/**
 * WordPress as a peer: Debian's `wordpress` package under Apache (prefork, mod_php: Debian's defaults)
 * over MariaDB, installed by apt-get when missing (services kept from starting by policy-rc.d). The
 * bench starts its own MariaDB (a fresh data folder under bench/tmp/peers/wordpress/, a socket, no
 * TCP) and its own Apache (a config of its own on a free loopback port), both children of this
 * process; Debian's system services stay as they were. WordPress reads its configuration from
 * /etc/wordpress/config-vsobench.php (Debian's way, chosen by `SetEnv WORDPRESS_CONFIG`), which is
 * written for the run and removed afterwards. Installed and seeded by a PHP script: wp_install(), the
 * sample post removed, the two articles by wp_insert_post(), permalinks /%postname%/.
 */
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpGet } from '../dev/load.ts';
import { own } from './owned.ts';
import type { PeerArticle } from './peers-content.ts';
import { PEERS_DIR, run, type Server, startServer, waitUntil } from './peers-process.ts';
import { log } from './settings.ts';

const PACKAGES = ['wordpress', 'apache2', 'mariadb-server', 'libapache2-mod-php', 'php-mysql'];
const DIR = join(PEERS_DIR, 'wordpress');
const DATA = join(DIR, 'mysql');
/** MariaDB's socket and pid file, in a folder of its user's that Apache's can pass through. */
const RUN = join(DIR, 'run');
const SOCKET = join(RUN, 'mysqld.sock');
const CONFIG_NAME = 'vsobench';
const WP_CONFIG = `/etc/wordpress/config-${CONFIG_NAME}.php`;
const POLICY = '/usr/sbin/policy-rc.d';

const missing = () =>
  PACKAGES.filter((name) => {
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format, not JavaScript's
      return !run('dpkg-query', ['-W', '-f', '${Status}', name]).includes('install ok installed');
    } catch {
      return true;
    }
  });

/** apt-get install of what is missing, with services kept from starting (this bench starts its own). */
export function installWordpress(): void {
  const wanted = missing();
  if (wanted.length === 0) return;
  log(`peers: apt-get install ${wanted.join(' ')}`);
  const ownPolicy = !existsSync(POLICY);
  if (ownPolicy)
    writeFileSync(POLICY, '#!/bin/sh\n# written by npm run bench -- --peers for apt-get\nexit 101\n', {
      mode: 0o755,
    });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    try {
      run('apt-get', ['install', '-y', '-q', ...wanted], { env, timeoutS: 900 });
    } catch {
      run('apt-get', ['update', '-q'], { env, timeoutS: 300 });
      run('apt-get', ['install', '-y', '-q', ...wanted], { env, timeoutS: 900 });
    }
  } finally {
    if (ownPolicy) rmSync(POLICY, { force: true });
  }
}

export function wordpressVersion(): string {
  const text = readFileSync('/usr/share/wordpress/wp-includes/version.php', 'utf8');
  const wp = /\$wp_version = '([^']+)'/.exec(text)?.[1] ?? '?';
  const php = run('php', ['-r', 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;']);
  const maria = /Distrib ([\d.]+)-MariaDB|([\d.]+)-MariaDB/.exec(run('mariadb', ['--version']));
  const apache = /Apache\/([\d.]+)/.exec(run('apache2', ['-v']))?.[1] ?? '?';
  return `${wp} (Debian), PHP ${php}, Apache ${apache}, MariaDB ${maria?.[1] ?? maria?.[2] ?? '?'}`;
}

const sql = (statement: string) =>
  run('mariadb', ['--no-defaults', `--socket=${SOCKET}`, '-uroot', '-N', '-B', '-e', statement]);

async function startMariadb(): Promise<Server> {
  const mysql = Number(run('id', ['-u', 'mysql']).trim());
  const mysqlGroup = Number(run('id', ['-g', 'mysql']).trim());
  for (const dir of [DATA, RUN]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chownSync(dir, mysql, mysqlGroup);
  }
  run(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${DATA}`,
      '--user=mysql',
      '--skip-test-db',
      '--auth-root-authentication-method=socket',
    ],
    { timeoutS: 180 },
  );
  const server = startServer(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      `--datadir=${DATA}`,
      `--socket=${SOCKET}`,
      '--skip-networking',
      '--user=mysql',
      `--pid-file=${join(RUN, 'mysqld.pid')}`,
      '--skip-log-bin',
    ],
    { graceS: 30 },
  );
  await waitUntil(
    'MariaDB',
    async () => {
      run('mariadb-admin', ['--no-defaults', `--socket=${SOCKET}`, '-uroot', 'ping'], { timeoutS: 5 });
      return true;
    },
    { timeoutS: 60, server },
  );
  return server;
}

const php = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function writeConfig(siteUrl: string) {
  const keys = [
    'AUTH_KEY',
    'SECURE_AUTH_KEY',
    'LOGGED_IN_KEY',
    'NONCE_KEY',
    'AUTH_SALT',
    'SECURE_AUTH_SALT',
    'LOGGED_IN_SALT',
    'NONCE_SALT',
  ];
  const lines = [
    '<?php',
    '// Written by npm run bench -- --peers for its own MariaDB and Apache; removed when the run ends.',
    "define('DB_NAME', 'wordpress');",
    "define('DB_USER', 'wordpress');",
    "define('DB_PASSWORD', 'wordpress');",
    `define('DB_HOST', ${php(`localhost:${SOCKET}`)});`,
    `define('WP_HOME', ${php(siteUrl)});`,
    `define('WP_SITEURL', ${php(siteUrl)});`,
    ...keys.map((key) => `define('${key}', ${php(randomBytes(24).toString('hex'))});`),
    '',
  ];
  writeFileSync(WP_CONFIG, lines.join('\n'), { mode: 0o644 });
}

const INSTALL_PHP = `<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = getenv('HTTP_HOST');
$_SERVER['REQUEST_URI'] = '/';
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('VSO Werkgevers', 'admin', 'admin@example.invalid', false, '', wp_generate_password(24));
wp_set_current_user(1);
foreach (get_posts(['post_type' => 'post', 'post_status' => 'any', 'numberposts' => -1]) as $p) wp_delete_post($p->ID, true);
update_option('permalink_structure', '/%postname%/');
foreach (json_decode(file_get_contents(getenv('PEER_ARTICLES')), true) as $a) {
  $id = wp_insert_post([
    'post_title' => $a['title'], 'post_name' => $a['slug'], 'post_content' => $a['html'],
    'post_excerpt' => $a['excerpt'], 'post_status' => 'publish', 'post_author' => 1,
    'post_date' => $a['publishedAt'] . ' 12:00:00',
  ], true);
  if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\\n"); exit(1); }
}
flush_rewrite_rules(false);
echo get_bloginfo('version'), "\\n";
`;

function apacheConfig(port: number): string {
  const modules = ['mpm_prefork', 'authz_core', 'alias', 'dir', 'env', 'mime', 'rewrite'];
  return `ServerRoot ${DIR}
DefaultRuntimeDir ${DIR}
PidFile ${join(DIR, 'apache2.pid')}
ErrorLog ${join(DIR, 'apache2-error.log')}
LogLevel warn
Listen 127.0.0.1:${port}
ServerName 127.0.0.1
User www-data
Group www-data
${modules.map((name) => `LoadModule ${name}_module /usr/lib/apache2/modules/mod_${name}.so`).join('\n')}
LoadModule php_module /usr/lib/apache2/modules/libphp${run('php', ['-r', 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;'])}.so
# Debian's defaults (apache2.conf, mods-available/mpm_prefork.conf); no access log.
Timeout 300
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 5
StartServers 5
MinSpareServers 5
MaxSpareServers 10
MaxRequestWorkers 150
MaxConnectionsPerChild 0
TypesConfig /etc/mime.types
DirectoryIndex index.php index.html
<FilesMatch ".+\\.ph(ar|p|tml)$">
  SetHandler application/x-httpd-php
</FilesMatch>
# Debian's /usr/share/doc/wordpress/examples/apache.conf, with the rewrite of pretty permalinks here.
Alias /wp-content /var/lib/wordpress/wp-content
DocumentRoot /usr/share/wordpress
SetEnv WORDPRESS_CONFIG ${CONFIG_NAME}
<Directory /usr/share/wordpress>
  Options FollowSymLinks
  AllowOverride None
  Require all granted
  RewriteEngine On
  RewriteBase /
  RewriteRule ^index\\.php$ - [L]
  RewriteCond %{REQUEST_FILENAME} !-f
  RewriteCond %{REQUEST_FILENAME} !-d
  RewriteRule . /index.php [L]
</Directory>
<Directory /var/lib/wordpress/wp-content>
  Options FollowSymLinks
  Require all granted
</Directory>
`;
}

export interface WordpressPeer {
  url: string;
  stop(): Promise<void>;
  /** MariaDB's Questions per request over `n` sequential requests of `path` (and Com_select). */
  queriesPerPage(path: string, n: number): Promise<{ questions: number; selects: number }>;
}

/** Starts MariaDB, installs WordPress into it with the articles, and starts Apache on `port`. */
export async function wordpressPeer(port: number, articles: PeerArticle[]): Promise<WordpressPeer> {
  if (!existsSync('/etc/wordpress'))
    throw new Error('/etc/wordpress is missing: the wordpress package is not installed');
  mkdirSync(DIR, { recursive: true });
  const mariadb = await startMariadb();
  sql(
    "create database wordpress; create user 'wordpress'@'localhost' identified by 'wordpress'; " +
      "grant all on wordpress.* to 'wordpress'@'localhost';",
  );
  const siteUrl = `http://127.0.0.1:${port}`;
  const removeConfig = () => rmSync(WP_CONFIG, { force: true });
  own(removeConfig, removeConfig);
  writeConfig(siteUrl);
  const articlesFile = join(DIR, 'articles.json');
  writeFileSync(articlesFile, JSON.stringify(articles));
  writeFileSync(join(DIR, 'install.php'), INSTALL_PHP);
  run('php', [join(DIR, 'install.php')], {
    env: {
      ...process.env,
      HTTP_HOST: `127.0.0.1:${port}`,
      WORDPRESS_CONFIG: CONFIG_NAME,
      PEER_ARTICLES: articlesFile,
    },
    timeoutS: 120,
  });
  const conf = join(DIR, 'apache2.conf');
  writeFileSync(conf, apacheConfig(port));
  const apache = startServer('/usr/sbin/apache2', ['-f', conf, '-DFOREGROUND'], { graceS: 15 });
  await waitUntil('Apache', async () => (await httpGet(`${siteUrl}/`)).status === 200, {
    timeoutS: 60,
    server: apache,
  });
  const status = () => {
    const rows = sql("show global status where Variable_name in ('Questions', 'Com_select')");
    const values = Object.fromEntries(
      rows
        .trim()
        .split('\n')
        .map((line) => line.split('\t')),
    );
    return { questions: Number(values.Questions), selects: Number(values.Com_select) };
  };
  return {
    url: siteUrl,
    async stop() {
      await apache.stop();
      await mariadb.stop();
      removeConfig();
    },
    async queriesPerPage(path, n) {
      // The load run's last requests may still be running: wait until the counter stands still
      // three times in a row (but for the few statements of the client that reads it; a page makes dozens).
      let last = Number.NEGATIVE_INFINITY;
      for (let i = 0, still = 0; i < 100 && still < 3; i++) {
        const { questions } = status();
        still = questions - last <= 3 ? still + 1 : 0;
        last = questions;
        await sleep(300);
      }
      // What reading the counters itself adds (its own statement), measured with no request between.
      const idle0 = status();
      const idle1 = status();
      const own = { questions: idle1.questions - idle0.questions, selects: idle1.selects - idle0.selects };
      for (let i = 0; i < 3; i++) await httpGet(`${siteUrl}${path}`);
      const before = status();
      for (let i = 0; i < n; i++) await httpGet(`${siteUrl}${path}`);
      const after = status();
      return {
        questions: (after.questions - before.questions - own.questions) / n,
        selects: (after.selects - before.selects - own.selects) / n,
      };
    },
  };
}
