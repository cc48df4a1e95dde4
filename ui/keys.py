"""Every session-state key of the app, declared once: what each holds, and who writes it.

Widget keys are session-state keys too (Streamlit keeps a keyed widget's value under its
key), so they are here as well. Nothing else in the app names a key by its string.
"""

# ---------------------------------------------------------------- shared by every page (ui.state)
SCENARIO = "scenario"  # the perceptron.Scenario every page shows: points, settings, step
UNDO = "undo_stack"  # (X, y, preset) before each point edit, newest last
MESSAGES = "flash_messages"  # (kind, text) toasts for the next run of whichever page is open
DATA_REVISION = "data_revision"  # counts views brought in by new data or "Fit view"
VIEW = "data_view"  # the data chart's axis ranges: the learner's, kept while they edit
PRESENTER = "presenter"  # presenter mode (the sidebar toggle's key)
THEME = "theme_seen"  # the theme the browser reported showing ("light" or "dark")
WRITTEN = "address_written"  # the query parameters the app wrote last
SHARE_BOX = "share_box"  # the sidebar's Share popover (open or not)
SHARE_PRESENTER = "share_presenter"  # the Share box's "open it in presenter mode" box

# ---------------------------------------------------------------- training settings (ui.controls)
SETTING_PREFIX = "ctl_"  # + a setting's name: its sidebar control
LR_CHOICE = "ctl_lr_choice"  # the learning rate's log-scale slider, beside its exact box

# ---------------------------------------------------------------- the Playground (ui.playground)
CHARTS = "charts"  # the chart component: what the browser reported last
TOOL = "tool"  # the class picker: what a click on the chart does ("0", "1", "erase")
CLICK_ACK = "click_ack"  # {"client", "seq"}: the last click batch applied
RERUN_PAGE = "rerun_whole_page"  # a chart event changed what lies outside the fragment
AUTOPLAY = "autoplay"  # Play asked for its frames: send them with the next render
PRESET_CHOICE = "preset_choice"  # the preset picker beside Load
PLAY_SPEED = "play_speed"  # Play's updates per second
LOG_LOSS = "log_loss"  # the loss chart's log scale

# ---------------------------------------------------------------- the other pages
DERIVATION_POINT = "deriv_point"  # the point the chain-rule page follows
DERIVATION_STEP = "deriv_step"  # the step the chain-rule page shows
DERIVATION_FOLLOWS = "deriv_point_follows"  # the scenario the point was chosen for
DERIVATION_COLUMN = "deriv_component"  # which column the contributions chart shows
LANDSCAPE_VIEW = "ls_view"  # the landscape's tab: map, 3-D surface, or map over (w1, b)
LANDSCAPE_GRID = "ls_grid"  # the landscape's grid size
RACE_RATES = "race_rates"  # the learning rates racing
RACE_LOG = "race_log"  # the race's log-scale loss
UPLOAD = "points_file"  # the Data page's file uploader
UPLOAD_MODE = "points_file_mode"  # replace the points or append to them
UPLOAD_DONE = "points_file_done"  # (file id, outcome) of the file loaded last
PLAIN_TABLES = "plain_tables"  # the Data page's plain tables box (open or not)
PRESET_THUMB = "thumb_"  # + a preset's name: its thumbnail on the Data page
PRESET_USE = "use_"  # + a preset's name: its "Use these points" button

# ---------------------------------------------------------------- containers (no state)
# Keyed containers hold no value; the page's CSS, the chart component and the browser tests
# find them by their class "st-key-<key>".
POINT_TOOLS = "point_tools"  # Undo, Clear and the preset picker
STEPPING = "stepping"  # the Playground's stepping fragment
STEPBAR = "stepbar"  # the class picker's row (the chart component measures it)

# ---------------------------------------------------------------- workshops (issue 15)
MODE = "playground_mode"  # the Playground's mode: "train", "predict" or "hand"
PREDICT_LOG = "predict_log"  # right (True) or not, per revealed answer, in order (all runs)
PREDICT_ANSWERS = "predict_answers"  # this run's answers: {"run", "first", "given": {k: ...}}
HAND_PATH = "hand_path"  # the hand-set weights so far: a perceptron.handfit.HandPath
HAND_PREVIEW = "hand_preview"  # (w, b) while a drag is under way: shown, not yet a move
CHALLENGE = "challenge"  # the open perceptron.challenges.Challenge, or None

# ---------------------------------------------------------------- challenges (ui.challenge)
CHALLENGE_DONE = "challenge_done"  # the GoalResult of this attempt once done (announced once)
CHALLENGE_ANNOUNCE = "challenge_announce"  # the attempt just got done: announce it this run
CHALLENGE_SLOT = "challenge_slot"  # the banner's status slot (an st.empty) of this page run
CHALLENGE_CHECKED = "challenge_checked"  # whether this page run has checked the goal yet
CHALLENGE_ATTEMPT = "challenge_attempt"  # counts attempts: +1 at each opening and Start over
CHALLENGE_TOP = "challenge_top"  # a challenge was just opened here: scroll the page to its top

# ---------------------------------------------------------------- the Challenges page
GALLERY_START = "gallery_start_"  # + a gallery slug: its "Start this challenge" button
GALLERY_QR = "gallery_qr_"  # + a gallery slug: its "QR code for the room" button
GALLERY_ENTRY = "gallery_entry_"  # + a gallery slug: its box (a keyed container, no state)
COMPOSE_TITLE = "compose_title"  # the composer's title box
COMPOSE_TASK = "compose_task"  # its one-line task
COMPOSE_MODE = "compose_mode"  # its mode: train, predict or hand
COMPOSE_GOAL = "compose_goal"  # its goal kind ("" for none)
COMPOSE_LOSS = "compose_loss"  # the goal's loss target L
COMPOSE_UPDATES = "compose_updates"  # the goal's K (or the update to reproduce)
COMPOSE_STREAK = "compose_streak"  # the goal's streak N
COMPOSE_WITHIN = "compose_within"  # "separate" within K updates (or no limit)
COMPOSE_POINTS = "compose_points"  # the points: the current ones or a preset
COMPOSE_PRESET = "compose_preset"  # the preset to draw them from
COMPOSE_N = "compose_n"  # how many points to draw
COMPOSE_SEED = "compose_seed"  # the seed to draw them with
COMPOSE_LOCKED = "compose_locked"  # the controls the challenge fixes
COMPOSE_HIDDEN = "compose_hidden"  # the controls it hides
COMPOSE_ASK = "compose_ask"  # the predict mode's question kinds
COMPOSE_QSEED = "compose_question_seed"  # the seed of the questions' choice
COMPOSE_TRY = "compose_try"  # the composer's "Try it" button
COMPOSE_QR = "compose_qr"  # the composer's "QR code for the room" button

# Keyed containers (no state), found by their class "st-key-<key>".
CHALLENGE_BANNER = "challenge_banner"  # the open challenge's banner, top of every page
CHALLENGE_HEAD = "challenge_head"  # its first row: title and buttons
CHALLENGE_STATUS = "challenge_status"  # its status line (a fixed minimum height)
GALLERY = "gallery"  # the Challenges page's ready challenges
COMPOSER = "composer"  # the Challenges page's composer
COMPOSED_LINK = "composed_link"  # the composer's link, QR code and Try it

# ---------------------------------------------------------------- math pages (issue 14)
LANDSCAPE_START = "ls_"  # + w1, w2 or b: the landscape's "start somewhere else" inputs
LANDSCAPE_PICK = "ls_pick_"  # + "w" or "b": the map over (w1, w2) or (w1, b), clicked to pick
POINTS_TABLE = "points_table_"  # + a digest of the points: the Data page's table editor
RACE_KIND = "race_kind"  # what the race races: learning rates, or the two losses
