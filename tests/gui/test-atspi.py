#!/usr/bin/python3
# test-atspi.py: the Planner driven through its accessibility tree
#
# Copyright 2026 The Rota developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the real app on a demo workspace and uses it as a screen reader user
# would, through AT-SPI (Debian's python3-gi and gir1.2-atspi-2.0): it finds
# the app's window on the accessibility bus, checks that every control in
# the tree has an accessible name, finds the week and an employee's row by
# name, and adds a shift by typing "8-16" and Return into that person's
# empty day. Then the row's accessible description and the workspace's
# outbox must both show the new shift. Run by tests/gui/atspi-session.sh,
# which brings up the accessibility bus; TAP on stdout. Never skips.

import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

# The app runs with the suite's G_DEBUG (fatal-warnings); this driver runs
# without it, so that libatspi's own warnings about objects going away
# while it walks the tree cannot abort it. GLib reads G_DEBUG when it is
# loaded, so drop it before importing gi.
APP_G_DEBUG = os.environ.pop('G_DEBUG', None)

import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

WEEKDAYS = ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')

# Roles of the controls a person operates: each needs a name of its own.
CONTROL_ROLES = {
    Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX,
    Atspi.Role.RADIO_BUTTON, Atspi.Role.COMBO_BOX, Atspi.Role.ENTRY,
    Atspi.Role.PASSWORD_TEXT, Atspi.Role.TEXT, Atspi.Role.SPIN_BUTTON,
    Atspi.Role.SLIDER, Atspi.Role.MENU_ITEM, Atspi.Role.CHECK_MENU_ITEM,
    Atspi.Role.RADIO_MENU_ITEM, Atspi.Role.PAGE_TAB, Atspi.Role.LINK,
    Atspi.Role.PUSH_BUTTON_MENU,
}
# Items that take the focus when a person moves through a list or table.
ITEM_ROLES = {
    Atspi.Role.LIST_ITEM, Atspi.Role.TABLE_ROW, Atspi.Role.TREE_ITEM,
    Atspi.Role.TABLE_CELL,
}
# GTK 4.8 answers the GType's name (GtkToggleButton, AdwGizmo) for an
# object without an accessible name.
TYPE_NAME = re.compile(r'(Gtk|Adw|Rota|Gdk)[A-Z][A-Za-z]*')

n_test = 0
failed = False


def ok(passed, what, details=()):
    global n_test, failed
    n_test += 1
    print(('ok' if passed else 'not ok') + ' %d - %s' % (n_test, what), flush=True)
    for line in details:
        print('# ' + line, flush=True)
    if not passed:
        failed = True
    return passed


def note(text):
    print('# ' + text, flush=True)


class Bail(Exception):
    pass


def bail(text):
    raise Bail(text)


def wait_for(what, fn, timeout=10.0, interval=0.1):
    """Calls fn until it returns something true; bails out after timeout."""
    until = time.monotonic() + timeout
    while True:
        try:
            result = fn()
        except gi.repository.GLib.Error:
            result = None
        if result:
            return result
        if time.monotonic() > until:
            bail('%s: not within %.0f s' % (what, timeout))
        time.sleep(interval)


def role_of(obj):
    return obj.get_role()


def unnamed(obj):
    name = (obj.get_name() or '').strip()
    return name == '' or TYPE_NAME.fullmatch(name) is not None


def describe_path(path):
    return ' / '.join(path)


def walk(obj, path=None, visit=None):
    """Depth-first over obj's subtree; visit(obj, path) for each object."""
    if path is None:
        path = []
    try:
        role = obj.get_role_name()
        name = obj.get_name() or ''
        n = obj.get_child_count()
    except gi.repository.GLib.Error:
        return
    step = role + (" '%s'" % name if name and not TYPE_NAME.fullmatch(name) else '')
    if path:
        try:
            step += '[%d]' % obj.get_index_in_parent()
        except gi.repository.GLib.Error:
            pass
    here = path + [step]
    visit(obj, here)
    for i in range(n):
        try:
            child = obj.get_child_at_index(i)
        except gi.repository.GLib.Error:
            continue
        if child is not None:
            walk(child, here, visit)


def find_all(root, pred):
    found = []
    walk(root, visit=lambda o, p: found.append(o) if pred(o) else None)
    return found


def find_one(root, pred):
    found = find_all(root, pred)
    return found[0] if found else None


def unnamed_controls(root):
    """The controls in root's subtree without a name, and how many it has."""
    bad = []
    checked = []

    def visit(obj, path):
        role = role_of(obj)
        if role in CONTROL_ROLES:
            pass
        elif role in ITEM_ROLES and obj.get_state_set().contains(Atspi.StateType.FOCUSABLE):
            pass
        else:
            return
        checked.append(obj)
        if unnamed(obj):
            # What it holds, to tell which one it is.
            inside = find_one(obj, lambda o: o is not obj and not unnamed(o))
            bad.append('%s (name %r%s) at %s' % (
                obj.get_role_name(), obj.get_name(),
                ', holding %s %r' % (inside.get_role_name(), inside.get_name()) if inside else '',
                describe_path(path)))

    walk(root, visit=visit)
    return bad, checked


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs).stdout


def sqlite(path, query):
    return run(['sqlite3', path, query]).strip()


def key(keysym):
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    time.sleep(0.1)


def type_string(text):
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
    time.sleep(0.1)


def text_of(obj):
    return Atspi.Text.get_text(obj, 0, Atspi.Text.get_character_count(obj))


def main(workdir):
    rotactl = os.environ.get('ROTACTL')
    app_path = os.environ.get('ROTA_APP')
    shots = os.environ.get('ROTA_TEST_SCREENSHOTS')
    if not rotactl or not app_path or not shots:
        bail('ROTACTL, ROTA_APP and ROTA_TEST_SCREENSHOTS must be set (tests/gui/meson.build sets them)')
    if not os.environ.get('DISPLAY'):
        bail('No display: run the GUI suite under xvfb-run')

    store = os.path.join(workdir, 'workspace.sqlite')
    out = run([rotactl, '--store', store, 'demo', '--employees', '30', '--weeks', '4'])
    m = re.search(r'first week (\d{4})-(\d{2})-(\d{2})', out)
    if not m:
        bail('rotactl demo did not say its first week: %r' % out)
    monday = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if monday.weekday() != 0:
        bail('the demo\'s first week starts on %s, not a Monday' % monday)
    wednesday = monday + datetime.timedelta(days=2)
    shifts_before = int(sqlite(store, "select count(*) from outbox where kind = 'shift' and op = 'put'"))
    note('demo workspace %s, first week %s; opening %s' % (store, monday, wednesday))

    # The display answers (atspi-session.sh keeps Xvfb from resetting).
    try:
        run(['xdotool', 'getdisplaygeometry'])
    except subprocess.CalledProcessError as e:
        bail('the display %s does not answer: %s' % (os.environ['DISPLAY'], e.stderr.strip()))

    env = dict(os.environ)
    if APP_G_DEBUG is not None:
        env['G_DEBUG'] = APP_G_DEBUG
    app_log = open(os.path.join(workdir, 'app.log'), 'w+')
    started = time.monotonic()
    proc = subprocess.Popen([app_path, '--store', store, '--day', wednesday.isoformat()],
                            env=env, stdout=app_log, stderr=subprocess.STDOUT)
    try:
        test_app(proc, store, monday, shifts_before, shots, started)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        elif proc.returncode != 0:
            ok(False, 'the app kept running', ['it exited with %d' % proc.returncode])
        app_log.seek(0)
        for line in app_log.read().splitlines():
            note('app: ' + line)
        app_log.close()


def test_app(proc, store, monday, shifts_before, shots, started):
    def alive():
        if proc.poll() is not None:
            bail('the app exited with %d' % proc.returncode)

    # 1. The window appears on the accessibility bus.
    def app_window():
        alive()
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is None or app.get_process_id() != proc.pid:
                continue
            for j in range(app.get_child_count()):
                window = app.get_child_at_index(j)
                if window is not None and window.get_role() == Atspi.Role.FRAME:
                    return app, window
        return None

    app, window = wait_for('the app\'s window on the accessibility bus (is GTK_A11Y=atspi, '
                           'is at-spi2-registryd running?)', app_window, timeout=20)
    ok(app.get_name() == 'rota', 'the app is on the accessibility bus as "rota" with a window',
       ['application %r, window %r, after %.1f s' % (app.get_name(), window.get_name(),
                                                    time.monotonic() - started)])

    # The week is shown once the roster has rows.
    def roster():
        alive()
        lists = find_all(window, lambda o: role_of(o) == Atspi.Role.LIST and o.get_name() == 'Roster')
        if len(lists) == 1 and lists[0].get_child_count() > 0:
            return lists[0]
        return None

    roster_list = wait_for('the list named "Roster" with rows', roster, timeout=20)

    # 2. Every control has a name.
    bad, checked = unnamed_controls(window)
    ok(not bad, 'every control has an accessible name',
       bad or ['%d controls checked' % len(checked)])

    # 3. The week view: its title and the roster.
    headers = find_all(window, lambda o: role_of(o) == Atspi.Role.LABEL and
                       (o.get_name() or '').startswith('Week '))
    ok(len(headers) == 1, 'the window shows one week\'s title',
       ['titles: %r' % [h.get_name() for h in headers]])
    if not headers:
        bail('no week shown')
    iso_week = monday.isocalendar()[1]
    ok(headers[0].get_name().startswith('Week %d ' % iso_week), 'it is the week asked for',
       ['%r, week %d expected' % (headers[0].get_name(), iso_week)])

    # 4. An employee with an empty day: none of that day's or the day
    # before's shifts (a night shift) in the row's description, and the
    # row on screen.
    def rows():
        return find_all(roster_list, lambda o: role_of(o) == Atspi.Role.TABLE_ROW)

    day_names = []
    for i in range(7):
        d = monday + datetime.timedelta(days=i)
        day_names.append('%s %d %s' % (WEEKDAYS[i], d.day, d.strftime('%B')))

    # GTK 4.8 knows no screen coordinates (asking for them is a warning,
    # fatal here): it gives them relative to the window, whose place on
    # the screen comes from the X server.
    xids = run(['xdotool', 'search', '--sync', '--onlyvisible', '--pid', str(proc.pid)]).split()
    if not xids:
        bail('xdotool found no window of the app')
    geometry = dict(line.split('=', 1) for line in
                    run(['xdotool', 'getwindowgeometry', '--shell', xids[0]]).split())
    origin = (int(geometry['X']), int(geometry['Y']))
    note('window %s at %d,%d, %sx%s' % (xids[0], origin[0], origin[1], geometry['WIDTH'], geometry['HEIGHT']))

    list_box = roster_list.get_extents(Atspi.CoordType.WINDOW)
    choice = None
    for row in rows():
        name = row.get_name() or ''
        description = row.get_description() or ''
        # People only: not the open shifts, not a department's heading, not
        # someone with no shift at all (their row says less).
        if name == 'Open shifts' or description in ('', 'Department') or \
           description.startswith('Open shift') or 'No shifts.' in description:
            continue
        box = row.get_extents(Atspi.CoordType.WINDOW)
        if box.y < list_box.y or box.y + box.height > list_box.y + list_box.height:
            continue
        for day in range(1, 6):
            if day_names[day] not in description and day_names[day - 1] not in description:
                choice = (row, name, day, box)
                break
        if choice:
            break
    if choice is None:
        bail('no employee on screen has a free day between Tuesday and Saturday')
    row, name, day, box = choice
    note('%s: %s is free; description: %s' % (name, day_names[day], row.get_description()))
    ok(all(unnamed(r) is False for r in rows()), 'the roster\'s rows are named after people')

    # The X input focus to the app's window, as a window manager would
    # give it (Xvfb runs none), then a click into the person's cell.
    run(['xdotool', 'windowfocus', '--sync', xids[0]])

    # A row is a 200 px name column, the seven days and a 96 px column of
    # hours (ROTA_PLANNER_NAME_WIDTH, ROTA_PLANNER_TOTAL_WIDTH).
    name_width = 200
    day_width = (box.width - name_width - 96) / 7
    x = origin[0] + int(box.x + name_width + day_width * day + day_width / 2)
    y = origin[1] + int(box.y + box.height / 2)
    note('row at %d,%d %dx%d; clicking %d,%d' % (box.x, box.y, box.width, box.height, x, y))
    Atspi.generate_mouse_event(x, y, 'b1c')
    time.sleep(0.2)

    def focused_item():
        alive()
        for item in find_all(roster_list, lambda o: role_of(o) == Atspi.Role.LIST_ITEM):
            if item.get_state_set().contains(Atspi.StateType.FOCUSED):
                return item
        return None

    item = wait_for('a focused row in the roster', focused_item, timeout=5)
    ok(item.get_name() == name, 'the clicked row has the focus, under the person\'s name',
       ['focused: %r, clicked: %r' % (item.get_name(), name)])

    # Typing a digit opens the editor with it; the rest goes into the entry.
    type_string('8')

    def time_entry():
        alive()
        entry = find_one(app, lambda o: role_of(o) in (Atspi.Role.ENTRY, Atspi.Role.TEXT) and
                         o.get_name() == 'Shift time' and
                         o.get_state_set().contains(Atspi.StateType.FOCUSED))
        return entry

    entry = wait_for('the focused entry "Shift time"', time_entry, timeout=5)
    ok(text_of(entry) == '8', 'typing 8 opened the editor with "8" in "Shift time"',
       ['text: %r' % text_of(entry)])
    # The popover around it: GTK 4.8 gives it no role of its own (a filler
    # answering its type's name).
    editor = entry
    while editor is not None and editor.get_name() != 'GtkPopover':
        editor = editor.get_parent()
    if editor is None:
        bail('the entry "Shift time" is in no popover or window')
    bad, checked = unnamed_controls(editor)
    names = [o.get_name() for o in checked]
    expected = ('Shift time', 'Break in minutes', 'Note', '_Save')
    ok(not bad and all(any(n.startswith(e) for n in names) for e in expected),
       'every control of the shift editor has an accessible name',
       bad + ['checked: %r' % names])

    type_string('-16')
    wait_for('"8-16" in "Shift time"', lambda: text_of(entry) == '8-16', timeout=5)
    key(0xff0d)  # Return

    # 5. The shift is there: in the row's description and in the outbox.
    def described():
        alive()
        for r in rows():
            if r.get_name() == name and '08:00 to 16:00' in (r.get_description() or ''):
                return r
        return None

    wait_for('"08:00 to 16:00" in the description of %s\'s row' % name, described, timeout=10)
    description = described().get_description()
    expected = '%s, %s, 08:00 to 16:00.' % (name, day_names[day])
    ok(expected in description, 'the row\'s description has the new shift',
       ['expected %r in %r' % (expected, description)])

    def outbox():
        return int(sqlite(store, "select count(*) from outbox where kind = 'shift' and op = 'put'"))

    wait_for('a new shift in the outbox', lambda: outbox() > shifts_before, timeout=10)
    ok(outbox() == shifts_before + 1, 'the outbox has one new shift to send',
       ['%d before, %d after' % (shifts_before, outbox())])
    last = sqlite(store, "select e.first_name, coalesce(e.last_name_prefix, ''), e.last_name, "
                         "p.\"end\" - p.start from outbox o join shift_pending p on p.id = o.entity_id "
                         "join employee e on e.id = p.employee_id "
                         "where o.kind = 'shift' and o.op = 'put' order by o.seq desc limit 1").split('|')
    who = ' '.join(part for part in last[:3] if part) if len(last) == 4 else None
    ok(who == name and last[3] == str(8 * 3600), 'it is %s\'s, 8 hours long' % name,
       ['outbox\'s last shift: %r' % last])

    editor_gone = not find_all(app, lambda o: o.get_name() == 'Shift time' and
                               o.get_state_set().contains(Atspi.StateType.FOCUSED))
    ok(editor_gone, 'Return closed the editor')

    # 6. A screenshot to look at.
    os.makedirs(shots, exist_ok=True)
    shot = os.path.join(shots, 'atspi-shift-added.png')
    time.sleep(0.3)
    run(['import', '-window', 'root', shot])
    ok(os.path.isfile(shot), 'screenshot ' + shot)

    # 7. The Punches page, from the view switcher: its list of days, and
    # every control on it named too.
    def punches_switch():
        alive()
        return find_one(window, lambda o: (o.get_name() or '') == 'Punches' and
                        role_of(o) in (Atspi.Role.TOGGLE_BUTTON, Atspi.Role.PUSH_BUTTON,
                                       Atspi.Role.RADIO_BUTTON, Atspi.Role.PAGE_TAB))

    switch = wait_for('the view switcher\'s "Punches" button', punches_switch, timeout=10)
    Atspi.Action.do_action(switch, 0)

    def days_list():
        alive()
        found = find_all(window, lambda o: o.get_name() == 'Days to review' and o.get_child_count() > 0)
        return found[0] if found else None

    days = wait_for('the list named "Days to review" with rows', days_list, timeout=20)
    ok(days is not None, 'the Punches page shows its days')

    # The Planner's "Shift added" toast outlives the switch by a few
    # seconds; its close button is libadwaita 1.2's and has no name. The
    # check below is of the Punches page, so it waits for the toast to go.
    def toast_gone():
        alive()
        return find_one(window, lambda o: (o.get_name() or '') == 'Shift added') is None

    wait_for('the "Shift added" toast to time out', toast_gone, timeout=15)
    bad, checked = unnamed_controls(window)
    ok(not bad, 'every control on the Punches page has an accessible name',
       bad or ['%d controls checked' % len(checked)])
    shot = os.path.join(shots, 'atspi-punches.png')
    time.sleep(0.3)
    run(['import', '-window', 'root', shot])
    ok(os.path.isfile(shot), 'screenshot ' + shot)

    # 8. The window's Close button ends the app, cleanly.
    close = find_one(window, lambda o: role_of(o) == Atspi.Role.PUSH_BUTTON and o.get_name() == 'Close')
    if close is None:
        bail('no button "Close" in the window')
    Atspi.Action.do_action(close, 0)
    try:
        status = proc.wait(10)
    except subprocess.TimeoutExpired:
        status = None
    ok(status == 0, 'the Close button ends the app with status 0', ['status: %r' % status])


def kiosk_main(workdir):
    """The kiosk (rota --kiosk) on a clock-only token against the real
    rota-server: its accessible tree has the kiosk's own screen and nothing
    of the Planner or the Punches page, no menu and no Close button, and
    every control in it is named."""
    server = os.environ.get('ROTA_SERVER')
    rotactl = os.environ.get('ROTACTL')
    app_path = os.environ.get('ROTA_APP')
    shots = os.environ.get('ROTA_TEST_SCREENSHOTS')
    if not server:
        bail('ROTA_SERVER must be set (tests/meson.build sets it)')

    # A CA of the test's own and a certificate for 127.0.0.1.
    d = os.path.join(workdir, 'kiosk')
    os.makedirs(d)
    p = lambda name: os.path.join(d, name)
    with open(p('server.ext'), 'w') as f:
        f.write('subjectAltName=DNS:localhost,IP:127.0.0.1\n')
    run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
         '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=Rota Test CA'])
    run(['openssl', 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
         '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=localhost'])
    run(['openssl', 'x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'),
         '-CAcreateserial', '-out', p('server.pem'), '-days', '2', '-extfile', p('server.ext')])

    data = p('data')
    run([server, '--data-dir', data, 'init'])
    tokens = dict(line.split(' ', 1) for line in
                  run([server, '--data-dir', data, 'demo', 'alpha', '--employees', '4', '--weeks', '1']).split('\n')
                  if line.count(' ') == 1)
    if 'clock' not in tokens:
        bail('rota-server demo printed no clock token: %r' % tokens)
    srv = subprocess.Popen([server, '--data-dir', data, 'serve', '--port', '0', '--tls-cert', p('server.pem'),
                            '--tls-key', p('server.key')], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
    try:
        m = None
        for _ in range(20):
            line = srv.stdout.readline()
            m = re.search(r'(https://127\.0\.0\.1:\d+/)', line)
            if m or not line:
                break
        if not m:
            bail('rota-server did not say where it listens')
        base = m.group(1)
        credentials = p('kiosk.ini')
        subprocess.run([rotactl, 'kiosk-credentials', '--server', base, '--tenant', 'alpha', '--device',
                        'front-desk', '--output', credentials, '--ca', p('ca.pem')],
                       input=tokens['clock'].strip() + '\n2468\n', check=True, capture_output=True, text=True)

        env = dict(os.environ)
        if APP_G_DEBUG is not None:
            env['G_DEBUG'] = APP_G_DEBUG
        app_log = open(p('app.log'), 'w+')
        proc = subprocess.Popen([app_path, '--kiosk', '--credential-file', credentials],
                                env=env, stdout=app_log, stderr=subprocess.STDOUT)
        try:
            def kiosk_window():
                if proc.poll() is not None:
                    bail('the kiosk exited with %d' % proc.returncode)
                desktop = Atspi.get_desktop(0)
                for i in range(desktop.get_child_count()):
                    app = desktop.get_child_at_index(i)
                    if app is None or app.get_process_id() != proc.pid:
                        continue
                    for j in range(app.get_child_count()):
                        window = app.get_child_at_index(j)
                        if window is not None and window.get_role() == Atspi.Role.FRAME:
                            return window
                return None

            window = wait_for('the kiosk\'s window on the accessibility bus', kiosk_window, timeout=30)
            wait_for('the kiosk\'s start screen', lambda: find_one(
                window, lambda o: o.get_name() == 'Your name'), timeout=20)
            names = [o.get_name() or '' for o in find_all(window, lambda o: True)]
            forbidden = ['Planner', 'Punches', 'Roster', 'Days to review', 'Main Menu', 'Close',
                         'Accounts', 'Preferences', 'Keyboard Shortcuts']
            seen = sorted(set(n for n in names if n in forbidden or n.startswith('Week ')))
            ok(not seen, 'the kiosk\'s accessible tree has nothing of the Planner, the Punches page or a menu',
               seen or ['%d objects checked' % len(names)])
            bad, checked = unnamed_controls(window)
            ok(not bad, 'every control of the kiosk has an accessible name',
               bad or ['%d controls checked' % len(checked)])
            shot = os.path.join(shots, 'atspi-kiosk.png')
            time.sleep(0.3)
            run(['import', '-window', 'root', shot])
            ok(os.path.isfile(shot), 'screenshot ' + shot)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            app_log.seek(0)
            for line in app_log.read().splitlines():
                note('kiosk: ' + line)
            app_log.close()
    finally:
        srv.kill()
        srv.wait()


def entry_point():
    print('TAP version 13', flush=True)
    workdir = tempfile.mkdtemp(prefix='rota-atspi-')
    status = 0
    try:
        main(workdir)
        kiosk_main(workdir)
    except Bail as e:
        print('Bail out! ' + str(e), flush=True)
        status = 1
    except Exception:
        for line in traceback.format_exc().splitlines():
            print('# ' + line, flush=True)
        print('Bail out! unexpected error', flush=True)
        status = 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if status == 0:
        print('1..%d' % n_test, flush=True)
    return 1 if status or failed else 0


if __name__ == '__main__':
    sys.exit(entry_point())
