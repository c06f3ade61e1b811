<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AwayControl</name>
    <message>
        <source>Set away</source>
        <translation>Abwesend melden</translation>
    </message>
    <message>
        <source>Message for the others (optional):</source>
        <translation>Nachricht für die anderen (freiwillig):</translation>
    </message>
    <message>
        <source>&amp;Away</source>
        <translation>&amp;Abwesenheit</translation>
    </message>
    <message>
        <source>Set &amp;away…</source>
        <translation>&amp;Abwesend melden…</translation>
    </message>
    <message>
        <source>Tell the others you are away, with a message</source>
        <translation>Den anderen sagen, dass du weg bist, mit einer Nachricht</translation>
    </message>
    <message>
        <source>I am &amp;back</source>
        <translation>Ich bin &amp;zurück</translation>
    </message>
    <message>
        <source>{name} is away: {message}</source>
        <translation>{name} ist abwesend: {message}</translation>
    </message>
    <message>
        <source>{name} is away.</source>
        <translation>{name} ist abwesend.</translation>
    </message>
</context>
<context>
    <name>ChatClient</name>
    <message>
        <source>connection refused (is the server running?)</source>
        <translation>Verbindung abgelehnt (läuft der Server?)</translation>
    </message>
    <message>
        <source>host not found</source>
        <translation>Host nicht gefunden</translation>
    </message>
    <message>
        <source>the connection timed out</source>
        <translation>Zeitüberschreitung beim Verbinden</translation>
    </message>
    <message>
        <source>the network is unreachable</source>
        <translation>das Netzwerk ist nicht erreichbar</translation>
    </message>
    <message>
        <source>Not connected: the certificate of {address} was not accepted (SHA-256 {fingerprint}).</source>
        <translation>Nicht verbunden: das Zertifikat von {address} wurde nicht angenommen (SHA-256 {fingerprint}).</translation>
    </message>
    <message>
        <source>Not connected: {address} presented a DIFFERENT certificate than before. Someone may be pretending to be the server, or its certificate was replaced. Expected SHA-256 {known}, got {fingerprint}. If the server&apos;s owner confirms the new fingerprint, accept it on purpose and connect again.</source>
        <translation>Nicht verbunden: {address} hat ein ANDERES Zertifikat gezeigt als zuvor. Jemand könnte sich als der Server ausgeben, oder sein Zertifikat wurde ersetzt. Erwartet war SHA-256 {known}, gezeigt wurde {fingerprint}. Wenn der Betreiber des Servers den neuen Fingerabdruck bestätigt, akzeptiere ihn bewusst und verbinde dich erneut.</translation>
    </message>
    <message>
        <source>The server sent no certificate.</source>
        <translation>Der Server hat kein Zertifikat geschickt.</translation>
    </message>
    <message>
        <source>The server at {address} stopped answering (nothing heard in {seconds} s).</source>
        <translation>Der Server auf {address} antwortet nicht mehr ({seconds} s lang nichts gehört).</translation>
    </message>
</context>
<context>
    <name>ClientPhrases</name>
    <message>
        <source>Connection attempt cancelled.</source>
        <translation>Verbindungsversuch abgebrochen.</translation>
    </message>
    <message>
        <source>Disconnected ({reason}).</source>
        <translation>Getrennt ({reason}).</translation>
    </message>
    <message>
        <source>Goodbye {name}! Disconnected at {time}.</source>
        <translation>Tschüss, {name}! Getrennt um {time}.</translation>
    </message>
    <message>
        <source>Could not connect to {address}: no answer in {seconds} s.</source>
        <translation>Keine Verbindung zu {address}: keine Antwort innerhalb von {seconds} s.</translation>
    </message>
    <message>
        <source>Left without a goodbye from the server.</source>
        <translation>Verlassen, ohne Verabschiedung vom Server.</translation>
    </message>
    <message>
        <source>Could not connect to {address}: {reason}.</source>
        <translation>Keine Verbindung zu {address}: {reason}.</translation>
    </message>
    <message>
        <source>Connection lost: {reason}.</source>
        <translation>Verbindung verloren: {reason}.</translation>
    </message>
    <message>
        <source>The connection to {address} was lost.</source>
        <translation>Die Verbindung zu {address} ist abgebrochen.</translation>
    </message>
    <message>
        <source>Disconnected.</source>
        <translation>Getrennt.</translation>
    </message>
</context>
<context>
    <name>ClientWindow</name>
    <message>
        <source>E&amp;xit</source>
        <translation>Ver&amp;lassen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Send the message (in the message field)</source>
        <translation>Nachricht senden (im Nachrichtenfeld)</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <source>Go to the message field</source>
        <translation>Zum Nachrichtenfeld</translation>
    </message>
    <message>
        <source>Next conversation</source>
        <translation>Nächste Unterhaltung</translation>
    </message>
    <message>
        <source>Previous conversation</source>
        <translation>Vorige Unterhaltung</translation>
    </message>
    <message>
        <source>Find, join or create a room (Rooms…)</source>
        <translation>Raum suchen, betreten oder anlegen (Räume…)</translation>
    </message>
    <message>
        <source>Search the messages (Esc closes the search)</source>
        <translation>Die Nachrichten durchsuchen (Esc schließt die Suche)</translation>
    </message>
    <message>
        <source>Ask the server who has connected (Status)</source>
        <translation>Den Server fragen, wer verbunden war (Status)</translation>
    </message>
    <message>
        <source>Save the file of the card selected in the transcript (Menu: Open, Cancel)</source>
        <translation>Die Datei der im Verlauf ausgewählten Karte speichern (Menü: Öffnen, Abbrechen)</translation>
    </message>
    <message>
        <source>Leave the chat, or stop reconnecting (Exit); the window stays open</source>
        <translation>Chat verlassen oder erneutes Verbinden abbrechen (Verlassen); das Fenster bleibt offen</translation>
    </message>
    <message>
        <source>Leave the chat and close the window</source>
        <translation>Chat verlassen und Fenster schließen</translation>
    </message>
    <message>
        <source>Welcome back, {name}!</source>
        <translation>Willkommen zurück, {name}!</translation>
    </message>
    <message>
        <source>Welcome, {name}!</source>
        <translation>Willkommen, {name}!</translation>
    </message>
    <message>
        <source>Welcome, {name} (a name the server chose for you)!</source>
        <translation>Willkommen, {name} (ein Name, den der Server für dich gewählt hat)!</translation>
    </message>
    <message>
        <source>You are in the chat on {address} · {online}</source>
        <translation>Du bist im Chat auf {address} · {online}</translation>
    </message>
    <message>
        <source>Reconnecting automatically; what you type meanwhile is sent once the connection is back.</source>
        <translation>Die Verbindung wird automatisch wiederhergestellt; was du inzwischen schreibst, wird gesendet, sobald sie wieder steht.</translation>
    </message>
    <message>
        <source>Offline.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <source>Reconnecting in {seconds} s (attempt {attempt})…</source>
        <translation>Neuer Verbindungsversuch in {seconds} s (Versuch {attempt})…</translation>
    </message>
    <message>
        <source>Offline. Not reconnecting; press Reconnect to try again.</source>
        <translation>Nicht verbunden. Kein weiterer Versuch; drücke „Neu verbinden“, um es noch einmal zu versuchen.</translation>
    </message>
    <message>
        <source>Stopped reconnecting.</source>
        <translation>Keine weiteren Verbindungsversuche.</translation>
    </message>
    <message>
        <source>This server has no direct messages (it speaks protocol version 1).</source>
        <translation>Dieser Server kennt keine Direktnachrichten (er spricht Protokollversion 1).</translation>
    </message>
    <message>
        <source>You left the chat. Press Reconnect to join again.</source>
        <translation>Du hast den Chat verlassen. Drücke „Neu verbinden“, um wieder beizutreten.</translation>
    </message>
    <message>
        <source>The server turned you away: {reason}</source>
        <translation>Der Server hat dich abgewiesen: {reason}</translation>
    </message>
    <message>
        <source>You joined again from another window or computer, so this one was disconnected. Press Reconnect to chat here instead.</source>
        <translation>Du bist von einem anderen Fenster oder Rechner aus erneut beigetreten, deshalb wurde dieses getrennt. Drücke „Neu verbinden“, um stattdessen hier zu chatten.</translation>
    </message>
    <message>
        <source>Stop reconnecting</source>
        <translation>Versuche beenden</translation>
    </message>
    <message>
        <source>Connecting to {address}…</source>
        <translation>Verbinde mit {address}…</translation>
    </message>
    <message>
        <source>Connected to {address}; joining the chat…</source>
        <translation>Mit {address} verbunden; trete dem Chat bei…</translation>
    </message>
    <message>
        <source>Leaving the chat…</source>
        <translation>Verlasse den Chat…</translation>
    </message>
    <message>
        <source>Online as {name} on {address}</source>
        <translation>Online als {name} auf {address}</translation>
    </message>
    <message>
        <source>Not connected. Fill in the server, then press Connect.</source>
        <translation>Nicht verbunden. Gib den Server an und drücke dann „Verbinden“.</translation>
    </message>
    <message>
        <source>LAN Chat client</source>
        <translation>LAN-Chat-Client</translation>
    </message>
    <message>
        <source>(offline)</source>
        <translation>(nicht verbunden)</translation>
    </message>
</context>
<context>
    <name>ClientWords</name>
    <message>
        <source>{name} left</source>
        <translation>{name} ist gegangen</translation>
    </message>
    <message>
        <source>{name} dropped out</source>
        <translation>{name} hat die Verbindung verloren</translation>
    </message>
    <message>
        <source>{name} was removed by the server operator</source>
        <translation>{name} wurde vom Betreiber des Servers entfernt</translation>
    </message>
    <message>
        <source>{name} timed out</source>
        <translation>{name} hat nicht mehr geantwortet</translation>
    </message>
    <message>
        <source>{name} was disconnected for not keeping up</source>
        <translation>{name} wurde getrennt, weil die Verbindung nicht mithielt</translation>
    </message>
    <message>
        <source>{name} was disconnected after an error</source>
        <translation>{name} wurde nach einem Fehler getrennt</translation>
    </message>
    <message>
        <source>{name} left (server stopped)</source>
        <translation>{name} ist gegangen (Server beendet)</translation>
    </message>
    <message>
        <source>{name} is reconnecting</source>
        <translation>{name} verbindet sich neu</translation>
    </message>
    <message>
        <source>{online}/{limit} online</source>
        <translation>{online}/{limit} online</translation>
    </message>
    <message>
        <source>{online} online</source>
        <translation>{online} online</translation>
    </message>
</context>
<context>
    <name>ConnectPanel</name>
    <message>
        <source>host name or IP address</source>
        <translation>Hostname oder IP-Adresse</translation>
    </message>
    <message>
        <source>The chat server&apos;s host name or IP address</source>
        <translation>Hostname oder IP-Adresse des Chat-Servers</translation>
    </message>
    <message>
        <source>The chat server&apos;s TCP port</source>
        <translation>TCP-Port des Chat-Servers</translation>
    </message>
    <message>
        <source>optional: the server picks one</source>
        <translation>optional (sonst vom Server)</translation>
    </message>
    <message>
        <source>Your name in the chat; leave it empty and the server assigns ClientNN</source>
        <translation>Dein Name im Chat; bleibt das Feld leer, vergibt der Server ClientNN</translation>
    </message>
    <message>
        <source>&amp;TLS</source>
        <translation>&amp;TLS</translation>
    </message>
    <message>
        <source>Encrypt the connection (the server must run with --tls); the server&apos;s certificate is remembered and a change is refused</source>
        <translation>Die Verbindung verschlüsseln (der Server muss mit --tls laufen); das Zertifikat des Servers wird gespeichert und ein geändertes abgelehnt</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>&amp;Port</source>
        <translation>&amp;Port</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>Type the server&apos;s host name or IP address.</source>
        <translation>Gib den Hostnamen oder die IP-Adresse des Servers ein.</translation>
    </message>
    <message>
        <source>That name cannot be used: {problem}.</source>
        <translation>Dieser Name kann nicht verwendet werden: {problem}.</translation>
    </message>
    <message>
        <source>Reconnect &amp;now</source>
        <translation>&amp;Jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Re&amp;connect</source>
        <translation>Neu &amp;verbinden</translation>
    </message>
</context>
<context>
    <name>ConnectionQuestions</name>
    <message>
        <source>This server needs a password: press Connect to give it.</source>
        <translation>Dieser Server verlangt ein Passwort: drücke „Verbinden“, um es einzugeben.</translation>
    </message>
    <message>
        <source>Waiting for you to check the server&apos;s certificate…</source>
        <translation>Warte darauf, dass du das Zertifikat des Servers prüfst…</translation>
    </message>
    <message>
        <source>Trusted the certificate of {address} (SHA-256 {fingerprint}); you will be warned if it ever changes.</source>
        <translation>Du vertraust jetzt dem Zertifikat von {address} (SHA-256 {fingerprint}); du wirst gewarnt, falls es sich je ändert.</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <source>muted</source>
        <translation>stumm</translation>
    </message>
</context>
<context>
    <name>ConversationNews</name>
    <message>
        <source>Messages you missed:</source>
        <translation>Nachrichten, die du verpasst hast:</translation>
    </message>
    <message>
        <source>Earlier messages:</source>
        <translation>Frühere Nachrichten:</translation>
    </message>
    <message>
        <source>{name} joined · {online}</source>
        <translation>{name} ist beigetreten · {online}</translation>
    </message>
    <message>
        <source>{old} is now {new}</source>
        <translation>{old} heißt jetzt {new}</translation>
    </message>
    <message>
        <source>Server notice</source>
        <translation>Hinweis vom Server</translation>
    </message>
    <message>
        <source>you</source>
        <translation>dich</translation>
    </message>
    <message>
        <source>{sender} (direct message to {who})</source>
        <translation>{sender} (Direktnachricht an {who})</translation>
    </message>
    <message>
        <source>{sender} in {room} (to {who})</source>
        <translation>{sender} in {room} (an {who})</translation>
    </message>
    <message>
        <source>{sender} (to {who})</source>
        <translation>{sender} (an {who})</translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <source>You are no longer in {room}.</source>
        <translation>Du bist nicht mehr in {room}.</translation>
    </message>
    <message>
        <source>Find a room to join, or create one</source>
        <translation>Einen Raum zum Beitreten suchen oder einen neuen erstellen</translation>
    </message>
    <message>
        <source>This server has only #lobby: it speaks no rooms (protocol version 1)</source>
        <translation>Dieser Server hat nur #lobby: er kennt keine Räume (Protokollversion 1)</translation>
    </message>
    <message>
        <source>Direct messages with {partner}: only the two of you see them</source>
        <translation>Direktnachrichten mit {partner}: nur ihr beide seht sie</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <source>C&amp;onversations</source>
        <translation>&amp;Unterhaltungen</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <source>&amp;Rooms…</source>
        <translation>&amp;Räume…</translation>
    </message>
    <message>
        <source>Find a room to join, or create one</source>
        <translation>Einen Raum zum Beitreten suchen oder einen neuen erstellen</translation>
    </message>
    <message>
        <source>Unmute notifications</source>
        <translation>Benachrichtigungen wieder einschalten</translation>
    </message>
    <message>
        <source>Mute notifications</source>
        <translation>Benachrichtigungen stummschalten</translation>
    </message>
    <message>
        <source>Leave {room}</source>
        <translation>{room} verlassen</translation>
    </message>
    <message>
        <source>Close conversation</source>
        <translation>Unterhaltung schließen</translation>
    </message>
</context>
<context>
    <name>Conversations</name>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>Direct messages</source>
        <translation>Direktnachrichten</translation>
    </message>
    <message>
        <source>Direct messages with {partner}</source>
        <translation>Direktnachrichten mit {partner}</translation>
    </message>
    <message>
        <source>{room}, room</source>
        <translation>{room}, Raum</translation>
    </message>
    <message>
        <source>{partner}, direct messages</source>
        <translation>{partner}, Direktnachrichten</translation>
    </message>
    <message>
        <source>muted</source>
        <translation>stummgeschaltet</translation>
    </message>
</context>
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n Mitglied</numerusform>
            <numerusform>%n Mitglieder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n room(s)</source>
        <translation>
            <numerusform>%n Raum</numerusform>
            <numerusform>%n Räume</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n ungelesen</numerusform>
            <numerusform>%n ungelesen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mentioning you</source>
        <translation>
            <numerusform>%n erwähnt dich</numerusform>
            <numerusform>%n erwähnen dich</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FileCard</name>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>{size}/s</source>
        <translation>{size}/s</translation>
    </message>
    <message>
        <source>{seconds} s left</source>
        <translation>noch {seconds} s</translation>
    </message>
    <message>
        <source>{minutes} min left</source>
        <translation>noch {minutes} min</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min left</source>
        <translation>noch {hours} h {minutes} min</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} von {total}</translation>
    </message>
    <message>
        <source>File {name} ({details})</source>
        <translation>Datei {name} ({details})</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>expired: no longer on the server</source>
        <translation>abgelaufen: nicht mehr auf dem Server</translation>
    </message>
    <message>
        <source>waiting to upload…</source>
        <translation>wartet auf das Hochladen…</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>Share files</source>
        <translation>Dateien teilen</translation>
    </message>
    <message>
        <source>Save {name}</source>
        <translation>{name} speichern</translation>
    </message>
    <message>
        <source>Open a program?</source>
        <translation>Ein Programm öffnen?</translation>
    </message>
    <message>
        <source>{name} from {sender} may be a program. Opening it may run it, with your rights on this computer.</source>
        <translation>{name} von {sender} ist vielleicht ein Programm. Es zu öffnen kann es ausführen, mit deinen Rechten auf diesem Computer.</translation>
    </message>
    <message>
        <source>Open it only if you trust it and its sender.</source>
        <translation>Öffne es nur, wenn du ihm und seinem Absender vertraust.</translation>
    </message>
</context>
<context>
    <name>FileSharing</name>
    <message>
        <source>Share files in this conversation (or drop them on the window, or paste an image)</source>
        <translation>Dateien in dieser Unterhaltung teilen (oder auf das Fenster ziehen, oder ein Bild einfügen)</translation>
    </message>
    <message>
        <source>Share a file</source>
        <translation>Eine Datei teilen</translation>
    </message>
    <message>
        <source>{name} is not a file that can be shared.</source>
        <translation>{name} ist keine Datei, die geteilt werden kann.</translation>
    </message>
    <message>
        <source>Files can be shared only while connected to a server that takes them.</source>
        <translation>Dateien können nur geteilt werden, solange eine Verbindung zu einem Server besteht, der sie annimmt.</translation>
    </message>
    <message>
        <source>The pasted image could not be saved to be shared.</source>
        <translation>Das eingefügte Bild konnte nicht zum Teilen gespeichert werden.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Not possible now: offline, or the server takes no files.</source>
        <translation>Jetzt nicht möglich: offline, oder der Server nimmt keine Dateien an.</translation>
    </message>
    <message>
        <source>The file is larger than the server takes.</source>
        <translation>Die Datei ist größer, als der Server annimmt.</translation>
    </message>
    <message>
        <source>You have shared as much as the server allows today.</source>
        <translation>Du hast heute so viel geteilt, wie der Server erlaubt.</translation>
    </message>
    <message>
        <source>The server has no room for the file.</source>
        <translation>Der Server hat keinen Platz für die Datei.</translation>
    </message>
    <message>
        <source>You cannot share files in this conversation.</source>
        <translation>Du kannst in dieser Unterhaltung keine Dateien teilen.</translation>
    </message>
    <message>
        <source>The server does not have this file for you.</source>
        <translation>Der Server hat diese Datei nicht für dich.</translation>
    </message>
    <message>
        <source>The file expired on the server.</source>
        <translation>Die Datei ist auf dem Server abgelaufen.</translation>
    </message>
    <message>
        <source>The file arrived damaged (its checksum did not match).</source>
        <translation>Die Datei kam beschädigt an (ihre Prüfsumme stimmte nicht).</translation>
    </message>
    <message>
        <source>The server is busy with other transfers; try again soon.</source>
        <translation>Der Server ist mit anderen Übertragungen beschäftigt; versuch es bald wieder.</translation>
    </message>
    <message>
        <source>The file could not be read or written here.</source>
        <translation>Die Datei konnte hier nicht gelesen oder geschrieben werden.</translation>
    </message>
    <message>
        <source>The connection for the transfer failed.</source>
        <translation>Die Verbindung für die Übertragung ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The transfer failed: {reason}</source>
        <translation>Die Übertragung ist fehlgeschlagen: {reason}</translation>
    </message>
</context>
<context>
    <name>MemberListModel</name>
    <message>
        <source>away: {message}</source>
        <translation>abwesend: {message}</translation>
    </message>
    <message>
        <source>away</source>
        <translation>abwesend</translation>
    </message>
    <message>
        <source>{name} (you)</source>
        <translation>{name} (du)</translation>
    </message>
    <message>
        <source>{name} is {away}.</source>
        <translation>{name} ist {away}.</translation>
    </message>
    <message>
        <source>This is you.</source>
        <translation>Das bist du.</translation>
    </message>
    <message>
        <source>{name} is online. Double-click to send {name} a direct message.</source>
        <translation>{name} ist online. Doppelklicken, um {name} eine Direktnachricht zu schicken.</translation>
    </message>
    <message>
        <source>{name} is offline. Double-click to send {name} a direct message.</source>
        <translation>{name} ist offline. Doppelklicken, um {name} eine Direktnachricht zu schicken.</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <source>&amp;Members</source>
        <translation>&amp;Mitglieder</translation>
    </message>
    <message>
        <source>&amp;Members · {count}</source>
        <translation>&amp;Mitglieder · {count}</translation>
    </message>
    <message>
        <source>&amp;Members · {online}</source>
        <translation>&amp;Mitglieder · {online}</translation>
    </message>
    <message>
        <source>&amp;Members · you and {partner}</source>
        <translation>&amp;Mitglieder · du und {partner}</translation>
    </message>
    <message>
        <source>&amp;Members · asking…</source>
        <translation>&amp;Mitglieder · werden erfragt…</translation>
    </message>
    <message>
        <source>&amp;Members · {online} online, {offline} offline</source>
        <translation>&amp;Mitglieder · {online} online, {offline} offline</translation>
    </message>
    <message>
        <source>&amp;Members · {online} online</source>
        <translation>&amp;Mitglieder · {online} online</translation>
    </message>
</context>
<context>
    <name>MessageBox</name>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Sen&amp;d</source>
        <translation>Sen&amp;den</translation>
    </message>
    <message>
        <source>Message {conversation} and press Enter</source>
        <translation>Nachricht an {conversation} schreiben und Enter drücken</translation>
    </message>
    <message>
        <source>⚠ {problem} (the limit is {limit} bytes)</source>
        <translation>⚠ {problem} (die Grenze liegt bei {limit} Bytes)</translation>
    </message>
    <message>
        <source>{size} of {limit} bytes</source>
        <translation>{size} von {limit} Bytes</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>LAN Chat</source>
        <translation>LAN Chat</translation>
    </message>
    <message>
        <source>LAN Chat: %n unread</source>
        <translation>LAN Chat: %n ungelesen</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Password for {address}</source>
        <translation>Passwort für {address}</translation>
    </message>
    <message>
        <source>The chat server at {address} needs a password to join.</source>
        <translation>Der Chat-Server auf {address} verlangt ein Passwort zum Beitreten.</translation>
    </message>
    <message>
        <source>It is kept only while this window is open.</source>
        <translation>Es wird nur aufbewahrt, solange dieses Fenster offen ist.</translation>
    </message>
</context>
<context>
    <name>RoomActions</name>
    <message>
        <source>Only the server&apos;s operator sets the topic of {room}.</source>
        <translation>Nur der Betreiber des Servers legt das Thema von {room} fest.</translation>
    </message>
    <message>
        <source>Only the owner of the private room {room} ({owner}) may set its topic.</source>
        <translation>Nur der Eigentümer des privaten Raums {room} ({owner}) darf sein Thema festlegen.</translation>
    </message>
    <message>
        <source>Everyone is in {room} already.</source>
        <translation>In {room} sind schon alle.</translation>
    </message>
    <message>
        <source>Nobody can be removed from {room}.</source>
        <translation>Aus {room} kann niemand entfernt werden.</translation>
    </message>
    <message>
        <source>{room} is public: anyone may join it, and only the server&apos;s operator may remove a member from it.</source>
        <translation>{room} ist öffentlich: alle dürfen beitreten, und nur der Betreiber des Servers darf Mitglieder daraus entfernen.</translation>
    </message>
    <message>
        <source>Only the owner of {room} ({owner}) may remove members from it.</source>
        <translation>Nur der Eigentümer von {room} ({owner}) darf Mitglieder daraus entfernen.</translation>
    </message>
    <message>
        <source>the server&apos;s operator</source>
        <translation>der Betreiber des Servers</translation>
    </message>
    <message>
        <source>Topic of {room}</source>
        <translation>Thema von {room}</translation>
    </message>
    <message>
        <source>The topic of {room} (empty: none):</source>
        <translation>Das Thema von {room} (leer: keins):</translation>
    </message>
    <message>
        <source>Room ▾</source>
        <translation>Raum ▾</translation>
    </message>
    <message>
        <source>What you can do in the conversation in view: topic, invitations, mute, leave</source>
        <translation>Was du in der angezeigten Unterhaltung tun kannst: Thema, Einladungen, stummschalten, verlassen</translation>
    </message>
    <message>
        <source>Conversation actions</source>
        <translation>Aktionen der Unterhaltung</translation>
    </message>
    <message>
        <source>Set &amp;topic…</source>
        <translation>&amp;Thema festlegen…</translation>
    </message>
    <message>
        <source>&amp;Invite member…</source>
        <translation>Mitglied &amp;einladen…</translation>
    </message>
    <message>
        <source>&amp;Remove member…</source>
        <translation>Mitglied ent&amp;fernen…</translation>
    </message>
    <message>
        <source>You are offline: this is asked of the server.</source>
        <translation>Du bist nicht verbunden: darüber entscheidet der Server.</translation>
    </message>
    <message>
        <source>Direct ▾</source>
        <translation>Direkt ▾</translation>
    </message>
    <message>
        <source>Not set: a topic is at most {limit} characters (this one has {length}).</source>
        <translation>Nicht festgelegt: ein Thema hat höchstens {limit} Zeichen (dieses hat {length}).</translation>
    </message>
    <message>
        <source>Invite to {room}</source>
        <translation>In {room} einladen</translation>
    </message>
    <message>
        <source>Who may join {room}? (a member&apos;s name)</source>
        <translation>Wer darf {room} beitreten? (der Name eines Mitglieds)</translation>
    </message>
    <message>
        <source>Remove from {room}</source>
        <translation>Aus {room} entfernen</translation>
    </message>
    <message>
        <source>Whom to take out of {room}? (or whose invitation to withdraw)</source>
        <translation>Wen aus {room} entfernen? (oder wessen Einladung zurückziehen)</translation>
    </message>
</context>
<context>
    <name>RoomDialog</name>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>Find a room by name or topic</source>
        <translation>Raum nach Name oder Thema suchen</translation>
    </message>
    <message>
        <source>Find a room</source>
        <translation>Raum suchen</translation>
    </message>
    <message>
        <source>Loading the room list…</source>
        <translation>Raumliste wird geladen…</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Beitreten</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>#room-name</source>
        <translation>#raum-name</translation>
    </message>
    <message>
        <source>New room&apos;s name</source>
        <translation>Name des neuen Raums</translation>
    </message>
    <message>
        <source>&amp;Private: only people you invite can find and join it</source>
        <translation>&amp;Privat: nur wer eingeladen ist, kann ihn finden und beitreten</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Erstellen</translation>
    </message>
    <message>
        <source>Create a room</source>
        <translation>Raum erstellen</translation>
    </message>
    <message>
        <source>No rooms yet: create one.</source>
        <translation>Noch keine Räume: erstelle einen.</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
</context>
<context>
    <name>RoomLines</name>
    <message>
        <source>The server&apos;s operator</source>
        <translation>Der Betreiber des Servers</translation>
    </message>
    <message>
        <source>You created the private room: only people you invite can join {room}.</source>
        <translation>Du hast den privaten Raum {room} erstellt: nur wer eingeladen ist, kann beitreten.</translation>
    </message>
    <message>
        <source>You created the room {room}.</source>
        <translation>Du hast den Raum {room} erstellt.</translation>
    </message>
    <message>
        <source>You joined {room} · {members} online</source>
        <translation>Du bist {room} beigetreten · {members} online</translation>
    </message>
    <message>
        <source>{line} · Topic: {topic}</source>
        <translation>{line} · Thema: {topic}</translation>
    </message>
    <message>
        <source>You were removed from {room}.</source>
        <translation>Du wurdest aus {room} entfernt.</translation>
    </message>
    <message>
        <source>{room} was closed by the server&apos;s operator.</source>
        <translation>{room} wurde vom Betreiber des Servers geschlossen.</translation>
    </message>
    <message>
        <source>You left {room}.</source>
        <translation>Du hast {room} verlassen.</translation>
    </message>
    <message>
        <source>{name} joined {room} · {members}</source>
        <translation>{name} ist {room} beigetreten · {members}</translation>
    </message>
    <message>
        <source>{name} was removed from {room} · {members}</source>
        <translation>{name} wurde aus {room} entfernt · {members}</translation>
    </message>
    <message>
        <source>{name} is out of {room} · {members}</source>
        <translation>{name} ist nicht mehr in {room} · {members}</translation>
    </message>
    <message>
        <source>{name} left {room} · {members}</source>
        <translation>{name} hat {room} verlassen · {members}</translation>
    </message>
    <message>
        <source>{who} cleared the topic of {room}.</source>
        <translation>{who} hat das Thema von {room} gelöscht.</translation>
    </message>
    <message>
        <source>{who} set the topic of {room}: {topic}</source>
        <translation>{who} hat das Thema von {room} festgelegt: {topic}</translation>
    </message>
    <message>
        <source>{who} invited you to {room}: join it from Rooms…</source>
        <translation>{who} hat dich in {room} eingeladen: tritt über „Räume…“ bei</translation>
    </message>
    <message>
        <source>You invited {name} to {room}.</source>
        <translation>Du hast {name} in {room} eingeladen.</translation>
    </message>
    <message>
        <source>{who} invited {name} to {room}.</source>
        <translation>{who} hat {name} in {room} eingeladen.</translation>
    </message>
    <message>
        <source>The server&apos;s operator renamed {old} to {new}.</source>
        <translation>Der Betreiber des Servers hat {old} in {new} umbenannt.</translation>
    </message>
    <message>
        <source>{partner} is offline: the message waits on the server and reaches them when they next join.</source>
        <translation>{partner} ist offline: die Nachricht wartet auf dem Server und wird zugestellt, sobald {partner} wieder beitritt.</translation>
    </message>
</context>
<context>
    <name>RoomListModel</name>
    <message>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>private</source>
        <translation>privat</translation>
    </message>
    <message>
        <source>joined</source>
        <translation>beigetreten</translation>
    </message>
    <message>
        <source>invited</source>
        <translation>eingeladen</translation>
    </message>
    <message>
        <source>You are in this room.</source>
        <translation>Du bist in diesem Raum.</translation>
    </message>
    <message>
        <source>Double-click to join.</source>
        <translation>Doppelklicken zum Beitreten.</translation>
    </message>
</context>
<context>
    <name>RoomQuestions</name>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
</context>
<context>
    <name>ScrollbackLoader</name>
    <message>
        <source>Earlier messages could not be loaded: the server refused them. Scroll to the top again in a moment to try again.</source>
        <translation>Frühere Nachrichten konnten nicht geladen werden: der Server hat sie verweigert. Scrolle gleich noch einmal ganz nach oben, um es erneut zu versuchen.</translation>
    </message>
    <message>
        <source>Earlier messages could not be loaded: the server could not read them. Scroll to the top again in a moment to try again.</source>
        <translation>Frühere Nachrichten konnten nicht geladen werden: der Server konnte sie nicht lesen. Scrolle gleich noch einmal ganz nach oben, um es erneut zu versuchen.</translation>
    </message>
    <message>
        <source>This is the beginning of the conversation.</source>
        <translation>Hier beginnt die Unterhaltung.</translation>
    </message>
    <message>
        <source>Loading earlier messages…</source>
        <translation>Lade frühere Nachrichten…</translation>
    </message>
</context>
<context>
    <name>SearchDock</name>
    <message>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>Loading the messages around it…</source>
        <translation>Die Nachrichten um sie herum werden geladen…</translation>
    </message>
    <message>
        <source>Loading earlier messages to reach it…</source>
        <translation>Frühere Nachrichten werden geladen, bis sie erreicht ist…</translation>
    </message>
    <message>
        <source>That message is older than what the conversation shows now; it is shown here only.</source>
        <translation>Diese Nachricht ist älter als das, was die Unterhaltung gerade zeigt; sie steht nur hier.</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Words to find</source>
        <translation>Gesuchte Wörter</translation>
    </message>
    <message>
        <source>Search for</source>
        <translation>Suchen nach</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Search in</source>
        <translation>Suchen in</translation>
    </message>
    <message>
        <source>anyone</source>
        <translation>jemand</translation>
    </message>
    <message>
        <source>Sent by</source>
        <translation>Gesendet von</translation>
    </message>
    <message>
        <source>Sent from</source>
        <translation>Gesendet ab</translation>
    </message>
    <message>
        <source>Sent until</source>
        <translation>Gesendet bis</translation>
    </message>
    <message>
        <source>any day</source>
        <translation>beliebiger Tag</translation>
    </message>
    <message>
        <source>Messages found</source>
        <translation>Gefundene Nachrichten</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Mehr</translation>
    </message>
    <message>
        <source>In:</source>
        <translation>In:</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Von:</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation>Gesendet:</translation>
    </message>
    <message>
        <source>All conversations</source>
        <translation>Alle Unterhaltungen</translation>
    </message>
    <message>
        <source>Direct: {name}</source>
        <translation>Direkt: {name}</translation>
    </message>
    <message>
        <source>Search needs a connection to a server that speaks protocol version 2.</source>
        <translation>Die Suche braucht eine Verbindung zu einem Server, der Protokollversion 2 spricht.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>No messages found.</source>
        <translation>Keine Nachrichten gefunden.</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) found so far (newest first); scroll down for more.</source>
        <translation>
            <numerusform>%n Nachricht bisher gefunden (neueste zuerst); scrolle nach unten für mehr.</numerusform>
            <numerusform>%n Nachrichten bisher gefunden (neueste zuerst); scrolle nach unten für mehr.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) found (newest first).</source>
        <translation>
            <numerusform>%n Nachricht gefunden (neueste zuerst).</numerusform>
            <numerusform>%n Nachrichten gefunden (neueste zuerst).</numerusform>
        </translation>
    </message>
    <message>
        <source>Not searched: you are not in that room.</source>
        <translation>Nicht gesucht: du bist nicht in diesem Raum.</translation>
    </message>
    <message>
        <source>Not searched: the server knows no member of that name.</source>
        <translation>Nicht gesucht: der Server kennt kein Mitglied dieses Namens.</translation>
    </message>
    <message>
        <source>Not searched: the server could not read its messages. Try again later.</source>
        <translation>Nicht gesucht: der Server konnte seine Nachrichten nicht lesen. Versuche es später noch einmal.</translation>
    </message>
    <message>
        <source>Not searched: this server cannot search (it speaks protocol version 1).</source>
        <translation>Nicht gesucht: dieser Server kann nicht suchen (er spricht Protokollversion 1).</translation>
    </message>
    <message>
        <source>Not searched: give one to 16 words (at most 200 characters) and dates from 1970 on.</source>
        <translation>Nicht gesucht: gib ein bis 16 Wörter ein (höchstens 200 Zeichen) und Daten ab 1970.</translation>
    </message>
    <message>
        <source>Searching for older messages…</source>
        <translation>Suche nach älteren Nachrichten…</translation>
    </message>
</context>
<context>
    <name>ServerBrowser</name>
    <message>
        <source>Cannot look for servers on this network ({problem}): type the server&apos;s address.</source>
        <translation>Die Suche nach Servern in diesem Netzwerk ist nicht möglich ({problem}): gib die Adresse des Servers ein.</translation>
    </message>
</context>
<context>
    <name>ServerList</name>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>not seen now</source>
        <translation>derzeit nicht zu sehen</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>{name} at {address}</source>
        <translation>{name} auf {address}</translation>
    </message>
    <message>
        <source>⚠ Suspicious: {why}</source>
        <translation>⚠ Verdächtig: {why}</translation>
    </message>
    <message>
        <source>Used before; it is not announcing itself on this network now.</source>
        <translation>Früher benutzt; er kündigt sich derzeit nicht in diesem Netzwerk an.</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>nicht angegeben</translation>
    </message>
    <message>
        <source>Encrypted (TLS); announced certificate SHA-256: {fingerprint}.</source>
        <translation>Verschlüsselt (TLS); angekündigtes Zertifikat SHA-256: {fingerprint}.</translation>
    </message>
    <message>
        <source>An announcement is only a hint: connecting checks the certificate you trust.</source>
        <translation>Eine Ankündigung ist nur ein Hinweis: beim Verbinden wird das Zertifikat geprüft, dem du vertraust.</translation>
    </message>
    <message>
        <source>Not encrypted.</source>
        <translation>Nicht verschlüsselt.</translation>
    </message>
    <message>
        <source>Asks for a password.</source>
        <translation>Verlangt ein Passwort.</translation>
    </message>
    <message>
        <source>No password.</source>
        <translation>Kein Passwort.</translation>
    </message>
</context>
<context>
    <name>ServerListPanel</name>
    <message>
        <source>Servers on this network</source>
        <translation>Server in diesem Netzwerk</translation>
    </message>
    <message>
        <source>Servers on this &amp;network (double-click or Enter to connect)</source>
        <translation>Server in diesem Netz&amp;werk (Doppelklick oder Enter zum Verbinden)</translation>
    </message>
    <message>
        <source>No server used yet: type its address above.</source>
        <translation>Noch kein Server benutzt: gib oben seine Adresse ein.</translation>
    </message>
    <message>
        <source>Looking for servers announcing themselves here… none yet: type an address above.</source>
        <translation>Suche nach Servern, die sich hier ankündigen… noch keiner: gib oben eine Adresse ein.</translation>
    </message>
    <message>
        <source>⚠ marks an announcement that contradicts the certificate you trust for that address: it may be forged.</source>
        <translation>⚠ markiert eine Ankündigung, die dem Zertifikat widerspricht, dem du für diese Adresse vertraust: sie könnte gefälscht sein.</translation>
    </message>
</context>
<context>
    <name>ServerRows</name>
    <message>
        <source>You trusted a TLS certificate for {address}, but this announcement says the server there has no TLS. Someone on the network may be impersonating it: do not connect without TLS.</source>
        <translation>Du vertraust einem TLS-Zertifikat für {address}, aber laut dieser Ankündigung hat der Server dort kein TLS. Jemand im Netzwerk könnte sich als dieser Server ausgeben: verbinde dich nicht ohne TLS.</translation>
    </message>
    <message>
        <source>This announcement gives the certificate SHA-256 {announced}, but the one you trusted for {address} is {pinned}. Either the announcement is forged or the server has a new certificate: connecting still checks the certificate you trusted.</source>
        <translation>Diese Ankündigung nennt das Zertifikat SHA-256 {announced}, aber du vertraust für {address} dem Zertifikat {pinned}. Entweder ist die Ankündigung gefälscht oder der Server hat ein neues Zertifikat: beim Verbinden wird weiterhin das Zertifikat geprüft, dem du vertraust.</translation>
    </message>
</context>
<context>
    <name>Transcript</name>
    <message>
        <source>waiting to reconnect</source>
        <translation>wartet auf die Verbindung</translation>
    </message>
    <message>
        <source>press Reconnect to send</source>
        <translation>zum Senden „Neu verbinden“ drücken</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>wird gesendet…</translation>
    </message>
    <message>
        <source>✓ ACK {time}</source>
        <translation>✓ ACK {time}</translation>
    </message>
    <message>
        <source>✓ ACK {time}, {rtt} ms</source>
        <translation>✓ ACK {time}, {rtt} ms</translation>
    </message>
    <message>
        <source>✗ not sent</source>
        <translation>✗ nicht gesendet</translation>
    </message>
    <message>
        <source>You: {text} ({delivery})</source>
        <translation>Du: {text} ({delivery})</translation>
    </message>
    <message>
        <source>Server notice to you: {text}</source>
        <translation>Hinweis vom Server an dich: {text}</translation>
    </message>
    <message>
        <source>Server notice: {text}</source>
        <translation>Hinweis vom Server: {text}</translation>
    </message>
    <message>
        <source>Acknowledged by the server at {time} (message #{seq})</source>
        <translation>Vom Server bestätigt um {time} (Nachricht #{seq})</translation>
    </message>
    <message>
        <source>Round trip: {rtt} ms</source>
        <translation>Umlaufzeit: {rtt} ms</translation>
    </message>
    <message>
        <source>Not sent yet: it goes out when the connection is back.</source>
        <translation>Noch nicht gesendet: sie geht hinaus, sobald die Verbindung wieder steht.</translation>
    </message>
    <message>
        <source>Not sent yet: it goes out once you press Reconnect.</source>
        <translation>Noch nicht gesendet: sie geht hinaus, sobald du „Neu verbinden“ drückst.</translation>
    </message>
    <message>
        <source>Sent; waiting for the server&apos;s ACK.</source>
        <translation>Gesendet; wartet auf das ACK des Servers.</translation>
    </message>
    <message>
        <source>{sender} at {time} (message #{seq})</source>
        <translation>{sender} um {time} (Nachricht #{seq})</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <source>Server notice to you</source>
        <translation>Hinweis vom Server an dich</translation>
    </message>
    <message>
        <source>Server notice</source>
        <translation>Hinweis vom Server</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>No messages yet.</source>
        <translation>Noch keine Nachrichten.</translation>
    </message>
    <message>
        <source>New messages</source>
        <translation>Neue Nachrichten</translation>
    </message>
</context>
<context>
    <name>TrustDialog</name>
    <message>
        <source>The server&apos;s certificate has CHANGED</source>
        <translation>Das Zertifikat des Servers hat sich GEÄNDERT</translation>
    </message>
    <message>
        <source>{address} is not showing the certificate it showed before.

Someone may be pretending to be this server to read your chat. It is also what you see when the server&apos;s owner made a new certificate.

Before: {before}
Now:    {now}

Accept the new certificate only if the server&apos;s owner confirms this fingerprint.</source>
        <translation>{address} zeigt nicht mehr das Zertifikat, das er vorher gezeigt hat.

Jemand könnte sich als dieser Server ausgeben, um deinen Chat mitzulesen. Dasselbe siehst du aber auch, wenn der Betreiber des Servers ein neues Zertifikat erstellt hat.

Vorher: {before}
Jetzt:  {now}

Akzeptiere das neue Zertifikat nur, wenn der Betreiber des Servers diesen Fingerabdruck bestätigt.</translation>
    </message>
    <message>
        <source>Accept the new certificate</source>
        <translation>Neues Zertifikat akzeptieren</translation>
    </message>
    <message>
        <source>Do not connect</source>
        <translation>Nicht verbinden</translation>
    </message>
    <message>
        <source>New server</source>
        <translation>Neuer Server</translation>
    </message>
    <message>
        <source>This is the first encrypted connection to {address}.

Its certificate&apos;s SHA-256 fingerprint is
{fingerprint}

The server shows the same fingerprint when it starts. If they match, trust it: it will be remembered, and you will be warned if it ever changes.</source>
        <translation>Dies ist die erste verschlüsselte Verbindung zu {address}.

Der SHA-256-Fingerabdruck seines Zertifikats ist
{fingerprint}

Der Server zeigt beim Start denselben Fingerabdruck an. Wenn beide übereinstimmen, vertraue ihm: er wird gespeichert, und du wirst gewarnt, falls er sich je ändert.</translation>
    </message>
    <message>
        <source>Trust and connect</source>
        <translation>Vertrauen und verbinden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>TypingLine</name>
    <message>
        <source>{name} is typing…</source>
        <translation>{name} schreibt…</translation>
    </message>
    <message>
        <source>{first} and {second} are typing…</source>
        <translation>{first} und {second} schreiben…</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>Mehrere schreiben…</translation>
    </message>
    <message>
        <source>Who is typing</source>
        <translation>Wer schreibt</translation>
    </message>
</context>
<context>
    <name>WindowBody</name>
    <message>
        <source>S&amp;tatus</source>
        <translation>S&amp;tatus</translation>
    </message>
    <message>
        <source>Ask the server who has connected since it started</source>
        <translation>Den Server fragen, wer sich seit seinem Start verbunden hat</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>Ver&amp;lassen</translation>
    </message>
    <message>
        <source>Leave the chat; the window stays open so you can reconnect</source>
        <translation>Den Chat verlassen; das Fenster bleibt offen, damit du dich wieder verbinden kannst</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
</context>
</TS>
