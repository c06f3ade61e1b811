<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AnnounceControls</name>
    <message>
        <source>Server name</source>
        <translation>Servername</translation>
    </message>
    <message>
        <source>The name clients see in their list of servers on this network</source>
        <translation>Der Name, unter dem Clients diesen Server in ihrer Serverliste in diesem Netzwerk sehen</translation>
    </message>
    <message>
        <source>Announce on the network</source>
        <translation>Im Netzwerk bekannt geben</translation>
    </message>
    <message>
        <source>Announce this server on the LAN (DNS-SD), so that client windows list it and &apos;main.py discover&apos; finds it. Not on localhost, where only this computer can connect. Anyone can forge an announcement: clients still check the TLS fingerprint themselves.</source>
        <translation>Diesen Server im LAN bekannt geben (DNS-SD), damit Client-Fenster ihn auflisten und &apos;main.py discover&apos; ihn findet. Nicht auf localhost, wo sich nur dieser Computer verbinden kann. Eine Bekanntgabe kann jeder fälschen: Clients prüfen den TLS-Fingerabdruck trotzdem selbst.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
</context>
<context>
    <name>ConnectionsPanel</name>
    <message>
        <source>Online only</source>
        <translation>Nur online</translation>
    </message>
    <message>
        <source>This run</source>
        <translation>Dieser Lauf</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>Alle Läufe</translation>
    </message>
    <message>
        <source>Show the sessions since the server started, or those of every run kept in its database</source>
        <translation>Die Sitzungen seit dem Start des Servers zeigen oder die aller Läufe, die seine Datenbank aufbewahrt</translation>
    </message>
    <message>
        <source>Kick</source>
        <translation>Hinauswerfen</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV-Export…</translation>
    </message>
    <message>
        <source>Save the sessions of the runs shown to a CSV file (Ctrl+S)</source>
        <translation>Die Sitzungen der gezeigten Läufe in einer CSV-Datei speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Send a notice to this member</source>
        <translation>Diesem Mitglied einen Hinweis senden</translation>
    </message>
    <message>
        <source>Sessions shown</source>
        <translation>Angezeigte Sitzungen</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>One row per session; select a member online to kick them or send them a notice (context menu)</source>
        <translation>Eine Zeile je Sitzung; ein Mitglied auswählen, das online ist, um es hinauszuwerfen oder ihm einen Hinweis zu senden (Kontextmenü)</translation>
    </message>
    <message>
        <source>Disconnect {name}</source>
        <translation>{name} trennen</translation>
    </message>
    <message>
        <source>Select a member online to kick them</source>
        <translation>Wähle ein Mitglied aus, das online ist, um es hinauszuwerfen</translation>
    </message>
</context>
<context>
    <name>EngineTexts</name>
    <message>
        <source>not a room name (# and 1-32 of a-z 0-9 - _)</source>
        <translation>kein Raumname (# und 1–32 Zeichen aus a–z, 0–9, - und _)</translation>
    </message>
    <message>
        <source>no such room</source>
        <translation>diesen Raum gibt es nicht</translation>
    </message>
    <message>
        <source>that room exists already</source>
        <translation>diesen Raum gibt es schon</translation>
    </message>
    <message>
        <source>that room is private: it needs an invitation</source>
        <translation>dieser Raum ist privat: Man braucht eine Einladung</translation>
    </message>
    <message>
        <source>you are not in that room</source>
        <translation>du bist nicht in diesem Raum</translation>
    </message>
    <message>
        <source>that member is not in that room</source>
        <translation>dieses Mitglied ist nicht in diesem Raum</translation>
    </message>
    <message>
        <source>only the room&apos;s owner may do that</source>
        <translation>das darf nur der Besitzer des Raums</translation>
    </message>
    <message>
        <source>everyone stays in #lobby</source>
        <translation>alle bleiben in #lobby</translation>
    </message>
    <message>
        <source>the server has as many rooms as it may</source>
        <translation>der Server hat schon so viele Räume, wie er darf</translation>
    </message>
    <message>
        <source>you are in as many rooms as you may</source>
        <translation>du bist schon in so vielen Räumen, wie du darfst</translation>
    </message>
    <message>
        <source>that topic is too long</source>
        <translation>dieses Thema ist zu lang</translation>
    </message>
    <message>
        <source>that is you</source>
        <translation>das bist du</translation>
    </message>
    <message>
        <source>an empty topic is not sent</source>
        <translation>ein leeres Thema wird nicht gesetzt</translation>
    </message>
    <message>
        <source>a topic is one line</source>
        <translation>ein Thema ist eine einzige Zeile</translation>
    </message>
    <message>
        <source>a topic cannot contain control characters</source>
        <translation>ein Thema darf keine Steuerzeichen enthalten</translation>
    </message>
    <message>
        <source>a topic is one line (no line or paragraph separators)</source>
        <translation>ein Thema ist eine einzige Zeile (ohne Zeilen- oder Absatztrenner)</translation>
    </message>
    <message>
        <source>a topic cannot contain bidirectional overrides ({found})</source>
        <translation>ein Thema darf keine Zeichen enthalten, die die Schreibrichtung umkehren ({found})</translation>
    </message>
    <message>
        <source>a topic cannot contain invisible characters ({found})</source>
        <translation>ein Thema darf keine unsichtbaren Zeichen enthalten ({found})</translation>
    </message>
    <message>
        <source>{name} is not a member here</source>
        <translation>{name} ist hier kein Mitglied</translation>
    </message>
    <message>
        <source>&apos;{host}&apos; is not an IP address (use an address, &apos;localhost&apos; or &apos;any&apos;)</source>
        <translation>„{host}“ ist keine IP-Adresse (gib eine Adresse, „localhost“ oder „any“ an)</translation>
    </message>
    <message>
        <source>Cannot serve TLS: {detail}</source>
        <translation>TLS ist nicht möglich: {detail}</translation>
    </message>
    <message>
        <source>Cannot listen on {address}: {detail}</source>
        <comment>address in use</comment>
        <translation>Kann nicht auf {address} lauschen: Dort lauscht schon ein anderes Programm (läuft der Server schon?)</translation>
    </message>
    <message>
        <source>Cannot listen on {address}: {detail}</source>
        <comment>no permission</comment>
        <translation>Kann nicht auf {address} lauschen: Das System erlaubt es nicht (Ports unter 1024 brauchen besondere Rechte)</translation>
    </message>
    <message>
        <source>Cannot listen on {address}: {detail}</source>
        <comment>address not available</comment>
        <translation>Kann nicht auf {address} lauschen: Diese Adresse gehört nicht zu diesem Computer</translation>
    </message>
    <message>
        <source>Cannot listen on {address}: {detail}</source>
        <comment>unsupported</comment>
        <translation>Kann nicht auf {address} lauschen: Das System kann an dieser Adresse nicht lauschen</translation>
    </message>
    <message>
        <source>Cannot listen on {address}: {detail}</source>
        <translation>Kann nicht auf {address} lauschen: {detail}</translation>
    </message>
</context>
<context>
    <name>EventLogPanel</name>
    <message>
        <source> lines</source>
        <translation> Zeilen</translation>
    </message>
    <message>
        <source>The log keeps only the newest lines</source>
        <translation>Das Protokoll behält nur die neuesten Zeilen</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Log lines kept</source>
        <translation>Aufbewahrte Protokollzeilen</translation>
    </message>
    <message>
        <source>Clear the event log</source>
        <translation>Ereignisprotokoll leeren</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>Ereignisprotokoll</translation>
    </message>
</context>
<context>
    <name>FileQuestions</name>
    <message>
        <source>Delete file</source>
        <translation>Datei löschen</translation>
    </message>
    <message>
        <source>Delete {name} ({size}) from the server? Members can no longer download it; their cards of it say it expired. This cannot be undone.</source>
        <translation>{name} ({size}) vom Server löschen? Mitglieder können sie dann nicht mehr herunterladen; ihre Karten der Datei sagen, dass sie abgelaufen ist. Das kann nicht rückgängig gemacht werden.</translation>
    </message>
</context>
<context>
    <name>FileTable</name>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Absender</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>Geteilt</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>The file&apos;s name as stored (made safe); greyed once it has expired</source>
        <translation>Der Name der Datei, wie gespeichert (sicher gemacht); grau, sobald sie abgelaufen ist</translation>
    </message>
    <message>
        <source>The room it was shared in, or the two members of a direct conversation</source>
        <translation>Der Raum, in dem sie geteilt wurde, oder die beiden Mitglieder einer direkten Unterhaltung</translation>
    </message>
    <message>
        <source>How many times members have downloaded it</source>
        <translation>Wie oft Mitglieder sie heruntergeladen haben</translation>
    </message>
    <message>
        <source>Expired: no longer stored, no longer downloadable</source>
        <translation>Abgelaufen: nicht mehr gespeichert, nicht mehr herunterzuladen</translation>
    </message>
</context>
<context>
    <name>FilesPanel</name>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>One row per file shared; select one to delete it</source>
        <translation>Eine Zeile je geteilter Datei; wähle eine aus, um sie zu löschen</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <source>Delete the selected file from the server (asks first)</source>
        <translation>Die ausgewählte Datei vom Server löschen (fragt vorher)</translation>
    </message>
</context>
<context>
    <name>FilesTab</name>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>{name} deleted by the operator</source>
        <translation>{name} vom Betreiber gelöscht</translation>
    </message>
    <message>
        <source>{name} could not be deleted: it is no longer on the server</source>
        <translation>{name} konnte nicht gelöscht werden: sie ist nicht mehr auf dem Server</translation>
    </message>
</context>
<context>
    <name>KickConfirmation</name>
    <message>
        <source>Kick a member</source>
        <translation>Mitglied hinauswerfen</translation>
    </message>
    <message>
        <source>Kick {name}?</source>
        <translation>{name} hinauswerfen?</translation>
    </message>
    <message>
        <source>{name} is disconnected at once and told that the operator removed them; the others see that {name} was kicked. This cannot be undone.</source>
        <translation>Die Verbindung von {name} wird sofort getrennt, mit dem Hinweis, dass der Betreiber das Mitglied entfernt hat; die anderen sehen, dass {name} hinausgeworfen wurde. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Kick {name}</source>
        <translation>{name} hinauswerfen</translation>
    </message>
</context>
<context>
    <name>ListenControls</name>
    <message>
        <source>Anyone on your network can read this chat: the server listens on all interfaces without TLS. Stop, tick TLS and Start again to encrypt it.</source>
        <translation>Jeder in deinem Netzwerk kann diesen Chat mitlesen: Der Server ist auf allen Netzwerkschnittstellen ohne TLS erreichbar. Stoppe ihn, kreuze TLS an und starte ihn erneut, um ihn zu verschlüsseln.</translation>
    </message>
    <message>
        <source>Listening on all interfaces without TLS lets anyone on your network read the chat: tick TLS to encrypt it.</source>
        <translation>Auf allen Netzwerkschnittstellen ohne TLS kann jeder in deinem Netzwerk den Chat mitlesen: Kreuze TLS an, um ihn zu verschlüsseln.</translation>
    </message>
    <message>
        <source>localhost (127.0.0.1)</source>
        <translation>lokal (127.0.0.1)</translation>
    </message>
    <message>
        <source>all interfaces</source>
        <translation>alle Schnittstellen</translation>
    </message>
    <message>
        <source>localhost: only this computer can connect; all interfaces: other computers on the LAN can too</source>
        <translation>Lokal: Nur dieser Computer kann sich verbinden; alle Schnittstellen: auch andere Computer im LAN</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>any free</source>
        <translation>beliebig</translation>
    </message>
    <message>
        <source>TCP port to listen on (0 picks a free one)</source>
        <translation>TCP-Port, unter dem der Server erreichbar ist (0 wählt einen freien)</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <source>Members online at once; newcomers past this are refused (0 = no limit). A change applies to new connections at once.</source>
        <translation>Wie viele Mitglieder gleichzeitig online sein dürfen; wer darüber hinaus kommt, wird abgewiesen (0 = unbegrenzt). Eine Änderung gilt sofort für neue Verbindungen.</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>Encrypt every connection. A self-signed certificate is made the first time; clients check its fingerprint (shown below once listening). Applies at Start.</source>
        <translation>Jede Verbindung verschlüsseln. Beim ersten Mal wird ein selbstsigniertes Zertifikat erzeugt; Clients prüfen seinen Fingerabdruck (unten angezeigt, sobald der Server läuft). Gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <source>A password new members must give (empty: none). A change applies to the next connections; members online stay. It is not saved: start with --password-file or $LANCHAT_PASSWORD to have it set at once.</source>
        <translation>Ein Passwort, das neue Mitglieder angeben müssen (leer: keins). Eine Änderung gilt für die nächsten Verbindungen; wer online ist, bleibt. Es wird nicht gespeichert: Starte mit --password-file oder $LANCHAT_PASSWORD, damit es gleich gesetzt ist.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Listen for clients with these settings</source>
        <translation>Den Server mit diesen Einstellungen starten</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Stop listening and disconnect every member</source>
        <translation>Den Server stoppen und alle Mitglieder trennen</translation>
    </message>
    <message>
        <source>Members see this fingerprint when they first connect with TLS: if theirs matches, nobody is in between</source>
        <translation>Mitglieder sehen diesen Fingerabdruck, wenn sie sich zum ersten Mal mit TLS verbinden: Stimmt ihrer überein, sitzt niemand dazwischen</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Max clients</source>
        <translation>Max. Clients</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source> · encrypted (TLS)</source>
        <translation> · verschlüsselt (TLS)</translation>
    </message>
    <message>
        <source> · not encrypted</source>
        <translation> · unverschlüsselt</translation>
    </message>
    <message>
        <source> · password required</source>
        <translation> · Passwort erforderlich</translation>
    </message>
    <message>
        <source>Listening on &lt;b&gt;{address}&lt;/b&gt;</source>
        <translation>Erreichbar unter &lt;b&gt;{address}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>Certificate SHA-256 fingerprint:</source>
        <translation>SHA-256-Fingerabdruck des Zertifikats:</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Notice to</source>
        <translation>Hinweis an</translation>
    </message>
    <message>
        <source>Everyone, one member online or the members online of one room (selecting a member or a room in its table picks it)</source>
        <translation>Alle, ein Mitglied, das online ist, oder die Mitglieder eines Raums, die online sind (was du in der Tabelle der Verbindungen oder Räume auswählst, wird hier übernommen)</translation>
    </message>
    <message>
        <source>A notice from the operator; press Enter to send</source>
        <translation>Hinweis des Betreibers; mit der Eingabetaste senden</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Send the notice</source>
        <translation>Hinweis senden</translation>
    </message>
    <message>
        <source>everyone</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>{name} (left)</source>
        <translation>{name} (gegangen)</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>a name cannot be empty</source>
        <translation>ein Name darf nicht leer sein</translation>
    </message>
    <message>
        <source>a name cannot start or end with spaces</source>
        <translation>ein Name darf nicht mit Leerzeichen beginnen oder enden</translation>
    </message>
    <message>
        <source>a name is at most {limit} characters</source>
        <translation>ein Name hat höchstens {limit} Zeichen</translation>
    </message>
    <message>
        <source>a name cannot contain control characters</source>
        <translation>ein Name darf keine Steuerzeichen enthalten</translation>
    </message>
    <message>
        <source>a name cannot contain invisible characters</source>
        <translation>ein Name darf keine unsichtbaren Zeichen enthalten</translation>
    </message>
    <message>
        <source>a name is one line</source>
        <translation>ein Name ist eine einzige Zeile</translation>
    </message>
    <message>
        <source>a name starts with a letter or a digit</source>
        <translation>ein Name beginnt mit einem Buchstaben oder einer Ziffer</translation>
    </message>
    <message>
        <source>a name cannot contain &apos;:&apos;</source>
        <translation>ein Name darf keinen Doppelpunkt (:) enthalten</translation>
    </message>
    <message>
        <source>an empty message is not sent</source>
        <translation>eine leere Nachricht wird nicht gesendet</translation>
    </message>
    <message>
        <source>a message is one line</source>
        <translation>eine Nachricht ist eine einzige Zeile</translation>
    </message>
    <message>
        <source>a message cannot contain control characters</source>
        <translation>eine Nachricht darf keine Steuerzeichen enthalten</translation>
    </message>
    <message>
        <source>a message is one line (no line or paragraph separators)</source>
        <translation>eine Nachricht ist eine einzige Zeile (ohne Zeilen- oder Absatztrenner)</translation>
    </message>
    <message>
        <source>a message cannot contain bidirectional overrides ({found})</source>
        <translation>eine Nachricht darf keine Zeichen enthalten, die die Schreibrichtung umkehren ({found})</translation>
    </message>
    <message>
        <source>a message cannot contain invisible characters ({found})</source>
        <translation>eine Nachricht darf keine unsichtbaren Zeichen enthalten ({found})</translation>
    </message>
    <message>
        <source>a message is {found} bytes over the server&apos;s limit</source>
        <translation>eine Nachricht liegt {found} Bytes über der Grenze des Servers</translation>
    </message>
    <message>
        <source>a room&apos;s name is # and 1 to {limit} of a-z, 0-9, - and _ (not {found})</source>
        <translation>ein Raumname ist # und 1 bis {limit} Zeichen aus a-z, 0-9, - und _ (nicht {found})</translation>
    </message>
    <message>
        <source>a server&apos;s name cannot be empty</source>
        <translation>der Name eines Servers darf nicht leer sein</translation>
    </message>
    <message>
        <source>a server&apos;s name cannot start or end with spaces</source>
        <translation>der Name eines Servers darf nicht mit Leerzeichen beginnen oder enden</translation>
    </message>
    <message>
        <source>a server&apos;s name is at most {limit} characters</source>
        <translation>der Name eines Servers hat höchstens {limit} Zeichen</translation>
    </message>
    <message>
        <source>a server&apos;s name is at most {limit} bytes of UTF-8</source>
        <translation>der Name eines Servers hat höchstens {limit} Byte in UTF-8</translation>
    </message>
    <message>
        <source>a server&apos;s name cannot contain lone surrogates</source>
        <translation>der Name eines Servers darf keine einzelnen Surrogate enthalten</translation>
    </message>
    <message>
        <source>a server&apos;s name is one line of visible characters (is one line)</source>
        <translation>der Name eines Servers ist eine einzige Zeile</translation>
    </message>
    <message>
        <source>a server&apos;s name is one line of visible characters (cannot contain control characters)</source>
        <translation>der Name eines Servers darf keine Steuerzeichen enthalten</translation>
    </message>
    <message>
        <source>a server&apos;s name is one line of visible characters (is one line (no line or paragraph separators))</source>
        <translation>der Name eines Servers ist eine einzige Zeile (ohne Zeilen- oder Absatztrenner)</translation>
    </message>
    <message>
        <source>a server&apos;s name is one line of visible characters (cannot contain bidirectional overrides ({found}))</source>
        <translation>der Name eines Servers darf keine Zeichen enthalten, die die Schreibrichtung umkehren ({found})</translation>
    </message>
    <message>
        <source>a server&apos;s name is one line of visible characters (cannot contain invisible characters ({found}))</source>
        <translation>der Name eines Servers darf keine unsichtbaren Zeichen enthalten ({found})</translation>
    </message>
</context>
<context>
    <name>RoomOperations</name>
    <message>
        <source>Room {room} not created: {reason}</source>
        <translation>Raum {room} nicht erstellt: {reason}</translation>
    </message>
    <message>
        <source>Room {room} not closed: {reason}</source>
        <translation>Raum {room} nicht geschlossen: {reason}</translation>
    </message>
    <message>
        <source>Room {room} not renamed: {reason}</source>
        <translation>Raum {room} nicht umbenannt: {reason}</translation>
    </message>
    <message>
        <source>Topic of {room} not set: {reason}</source>
        <translation>Thema von {room} nicht gesetzt: {reason}</translation>
    </message>
    <message>
        <source>{name} not removed from {room}: {reason}</source>
        <translation>{name} nicht aus {room} entfernt: {reason}</translation>
    </message>
    <message>
        <source>{name} not invited to {room}: {reason}</source>
        <translation>{name} nicht in {room} eingeladen: {reason}</translation>
    </message>
</context>
<context>
    <name>RoomQuestions</name>
    <message>
        <source>New room</source>
        <translation>Neuer Raum</translation>
    </message>
    <message>
        <source>Private: joined only by invitation, hidden from others&apos; room lists</source>
        <translation>Privat: Beitritt nur mit Einladung, für andere nicht in der Raumliste</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>Topic of {room} (empty clears it)</source>
        <translation>Thema von {room} (leer entfernt es)</translation>
    </message>
    <message>
        <source>Remove a member</source>
        <translation>Mitglied entfernen</translation>
    </message>
    <message>
        <source>Take this member out of {room} (or withdraw their invitation):</source>
        <translation>Dieses Mitglied aus {room} entfernen (oder seine Einladung zurückziehen):</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>Invite a member</source>
        <translation>Mitglied einladen</translation>
    </message>
    <message>
        <source>Invite this member to {room}:</source>
        <translation>Dieses Mitglied in {room} einladen:</translation>
    </message>
    <message>
        <source>Rename room</source>
        <translation>Raum umbenennen</translation>
    </message>
    <message>
        <source>New name of {room} (its members, topic and messages stay with it):</source>
        <translation>Neuer Name von {room} (Mitglieder, Thema und Nachrichten bleiben erhalten):</translation>
    </message>
    <message>
        <source>Close room</source>
        <translation>Raum schließen</translation>
    </message>
    <message>
        <source>Close {room}? Its members are taken out of it and it leaves the list.</source>
        <translation>{room} schließen? Seine Mitglieder werden aus ihm entfernt, und er verschwindet aus der Liste.</translation>
    </message>
</context>
<context>
    <name>RoomTable</name>
    <message>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Private</source>
        <translation>Privat</translation>
    </message>
    <message>
        <source>Members online / members (#lobby: everyone online)</source>
        <translation>Mitglieder online / Mitglieder (#lobby: alle, die online sind)</translation>
    </message>
    <message>
        <source>Messages of the room in the database (older ones go with --retention-days)</source>
        <translation>Nachrichten des Raums in der Datenbank (ältere löscht --retention-days)</translation>
    </message>
    <message>
        <source>A private room is joined only by invitation and hidden from others&apos; room lists</source>
        <translation>Einem privaten Raum tritt man nur mit Einladung bei; in den Raumlisten anderer erscheint er nicht</translation>
    </message>
    <message>
        <source>private</source>
        <translation>privat</translation>
    </message>
</context>
<context>
    <name>RoomsPanel</name>
    <message>
        <source>New room…</source>
        <translation>Neuer Raum…</translation>
    </message>
    <message>
        <source>Topic…</source>
        <translation>Thema…</translation>
    </message>
    <message>
        <source>Invite…</source>
        <translation>Einladen…</translation>
    </message>
    <message>
        <source>Remove member…</source>
        <translation>Mitglied entfernen…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <source>Close room</source>
        <translation>Raum schließen</translation>
    </message>
    <message>
        <source>Send a notice to this room</source>
        <translation>Diesem Raum einen Hinweis senden</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>One row per room; select one to change it or send its members a notice (context menu)</source>
        <translation>Eine Zeile je Raum; einen auswählen, um ihn zu ändern oder seinen Mitgliedern einen Hinweis zu senden (Kontextmenü)</translation>
    </message>
    <message>
        <source>#lobby keeps its name</source>
        <translation>#lobby behält seinen Namen</translation>
    </message>
    <message>
        <source>Give the selected room another name</source>
        <translation>Dem ausgewählten Raum einen anderen Namen geben</translation>
    </message>
    <message>
        <source>Invite a member to the selected private room</source>
        <translation>Ein Mitglied in den ausgewählten privaten Raum einladen</translation>
    </message>
    <message>
        <source>Select a private room to invite a member (anyone may join a public one)</source>
        <translation>Wähle einen privaten Raum, um ein Mitglied einzuladen (öffentlichen Räumen kann jeder beitreten)</translation>
    </message>
    <message>
        <source>#lobby cannot be closed</source>
        <translation>#lobby lässt sich nicht schließen</translation>
    </message>
    <message>
        <source>Close the selected room</source>
        <translation>Den ausgewählten Raum schließen</translation>
    </message>
</context>
<context>
    <name>ServerEventReporter</name>
    <message numerus="yes">
        <source>at most %n member(s)</source>
        <translation>
            <numerusform>höchstens %n Mitglied</numerusform>
            <numerusform>höchstens %n Mitglieder</numerusform>
        </translation>
    </message>
    <message>
        <source>no member limit</source>
        <translation>keine Obergrenze für Mitglieder</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>not encrypted</source>
        <translation>unverschlüsselt</translation>
    </message>
    <message>
        <source>password required</source>
        <translation>Passwort erforderlich</translation>
    </message>
    <message>
        <source>Listening on {address} ({members}; {how})</source>
        <translation>Erreichbar unter {address} ({members}; {how})</translation>
    </message>
    <message>
        <source>TLS certificate SHA-256 fingerprint: {fingerprint}</source>
        <translation>SHA-256-Fingerabdruck des TLS-Zertifikats: {fingerprint}</translation>
    </message>
    <message numerus="yes">
        <source>Stopped listening; disconnecting %n member(s)</source>
        <translation>
            <numerusform>Nicht mehr erreichbar; %n Mitglied wird getrennt</numerusform>
            <numerusform>Nicht mehr erreichbar; %n Mitglieder werden getrennt</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopped listening</source>
        <translation>Nicht mehr erreichbar</translation>
    </message>
    <message>
        <source>{name} joined · {online} online</source>
        <translation>{name} ist beigetreten · {online} online</translation>
    </message>
    <message>
        <source>{line} · {online} online</source>
        <translation>{line} · {online} online</translation>
    </message>
    <message numerus="yes">
        <source>{name} opened another window · %n window(s) open</source>
        <translation>
            <numerusform>{name} hat ein weiteres Fenster geöffnet · %n Fenster offen</numerusform>
            <numerusform>{name} hat ein weiteres Fenster geöffnet · %n Fenster offen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>One window: {line} · %n window(s) still open</source>
        <translation>
            <numerusform>Ein Fenster: {line} · noch %n Fenster offen</numerusform>
            <numerusform>Ein Fenster: {line} · noch %n Fenster offen</numerusform>
        </translation>
    </message>
    <message>
        <source>{old} is now {new}</source>
        <translation>{old} heißt jetzt {new}</translation>
    </message>
    <message>
        <source>Refused {address}: {reason}</source>
        <translation>{address} abgewiesen: {reason}</translation>
    </message>
    <message>
        <source>Bad input from {name}: {text}</source>
        <translation>Ungültige Eingabe von {name}: {text}</translation>
    </message>
    <message>
        <source>{name} is sending too fast: its messages are read more slowly</source>
        <translation>{name} sendet zu schnell: seine Nachrichten werden langsamer gelesen</translation>
    </message>
    <message>
        <source>Notice to {to}: {text}</source>
        <translation>Hinweis an {to}: {text}</translation>
    </message>
    <message>
        <source>everyone</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>{name} left</source>
        <translation>{name} ist gegangen</translation>
    </message>
    <message>
        <source>{name} dropped (connection lost)</source>
        <translation>{name} hat die Verbindung verloren</translation>
    </message>
    <message>
        <source>{name} was kicked</source>
        <translation>{name} wurde hinausgeworfen</translation>
    </message>
    <message>
        <source>{name} timed out</source>
        <translation>{name} hat nicht mehr geantwortet (Zeitüberschreitung)</translation>
    </message>
    <message>
        <source>{name} disconnected: too slow to read its messages</source>
        <translation>{name} getrennt: liest seine Nachrichten zu langsam</translation>
    </message>
    <message>
        <source>{name} disconnected after a protocol error</source>
        <translation>{name} nach einem Protokollfehler getrennt</translation>
    </message>
    <message>
        <source>{name} disconnected (server stopped)</source>
        <translation>{name} getrennt (Server gestoppt)</translation>
    </message>
    <message>
        <source>{name} connected again: its old connection is closed</source>
        <translation>{name} hat sich neu verbunden: die alte Verbindung ist geschlossen</translation>
    </message>
    <message>
        <source>{name} left ({reason})</source>
        <translation>{name} ist gegangen ({reason})</translation>
    </message>
    <message>
        <source>the operator</source>
        <translation>der Betreiber</translation>
    </message>
    <message>
        <source>{room} created by {who} (private)</source>
        <translation>{who} hat {room} erstellt (privat)</translation>
    </message>
    <message>
        <source>{room} created by {who}</source>
        <translation>{who} hat {room} erstellt</translation>
    </message>
    <message>
        <source>{member} joined {room}</source>
        <translation>{member} ist {room} beigetreten</translation>
    </message>
    <message>
        <source>{member} left {room}</source>
        <translation>{member} hat {room} verlassen</translation>
    </message>
    <message>
        <source>{member} removed from {room} by {who}</source>
        <translation>{who} hat {member} aus {room} entfernt</translation>
    </message>
    <message>
        <source>{member} invited to {room} by {who}</source>
        <translation>{who} hat {member} in {room} eingeladen</translation>
    </message>
    <message>
        <source>{member}&apos;s invitation to {room} withdrawn by {who}</source>
        <translation>{who} hat die Einladung von {member} in {room} zurückgezogen</translation>
    </message>
    <message>
        <source>topic of {room} set by {who}: {topic}</source>
        <translation>{who} hat das Thema von {room} gesetzt: {topic}</translation>
    </message>
    <message>
        <source>topic of {room} cleared by {who}</source>
        <translation>{who} hat das Thema von {room} gelöscht</translation>
    </message>
    <message>
        <source>{old} renamed to {room} by {who}</source>
        <translation>{who} hat {old} in {room} umbenannt</translation>
    </message>
    <message>
        <source>{room} closed: its last member left</source>
        <translation>{room} geschlossen: das letzte Mitglied ist gegangen</translation>
    </message>
    <message>
        <source>{room} closed by {who}</source>
        <translation>{who} hat {room} geschlossen</translation>
    </message>
    <message>
        <source>{sender} shared {name} ({size}) in {room}</source>
        <translation>{sender} hat {name} ({size}) in {room} geteilt</translation>
    </message>
    <message>
        <source>{sender} shared a file with {partner}</source>
        <translation>{sender} hat eine Datei mit {partner} geteilt</translation>
    </message>
</context>
<context>
    <name>ServerWindow</name>
    <message>
        <source>LAN Chat Server</source>
        <translation>LAN-Chat-Server</translation>
    </message>
    <message>
        <source>Could not export to {path}: {error}</source>
        <translation>Export nach {path} fehlgeschlagen: {error}</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n session(s) to {path}</source>
        <translation>
            <numerusform>%n Sitzung nach {path} exportiert</numerusform>
            <numerusform>%n Sitzungen nach {path} exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export connections</source>
        <translation>Verbindungen exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Each session as a bar over time; clicking one selects it in the Connections table</source>
        <translation>Jede Sitzung als Balken über die Zeit; ein Klick wählt sie in der Tabelle „Verbindungen“ aus</translation>
    </message>
    <message>
        <source>Messages relayed per second, averaged over the last few seconds</source>
        <translation>Weitergeleitete Nachrichten pro Sekunde, gemittelt über die letzten Sekunden</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV-Export…</translation>
    </message>
    <message>
        <source>Start listening</source>
        <translation>Den Server starten</translation>
    </message>
    <message>
        <source>Stop listening and disconnect every member</source>
        <translation>Den Server stoppen und alle Mitglieder trennen</translation>
    </message>
    <message>
        <source>Go to the Connections table</source>
        <translation>Zur Tabelle „Verbindungen“</translation>
    </message>
    <message>
        <source>Go to the Rooms table</source>
        <translation>Zur Tabelle „Räume“</translation>
    </message>
    <message>
        <source>Kick the selected member (asks first)</source>
        <translation>Ausgewähltes Mitglied hinauswerfen (mit Rückfrage)</translation>
    </message>
    <message>
        <source>Write a notice (to whom “Notice to” shows)</source>
        <translation>Hinweis schreiben (an den, den „Hinweis an“ zeigt)</translation>
    </message>
    <message>
        <source>Send the notice (in the notice field)</source>
        <translation>Hinweis senden (im Hinweisfeld)</translation>
    </message>
    <message>
        <source>Export the sessions shown to a CSV file</source>
        <translation>Angezeigte Sitzungen als CSV-Datei exportieren</translation>
    </message>
    <message>
        <source>Close the window (members online get a goodbye first)</source>
        <translation>Fenster schließen (Mitglieder, die online sind, werden zuerst verabschiedet)</translation>
    </message>
    <message>
        <source>Could not read earlier runs from the database: {error}</source>
        <translation>Frühere Läufe konnten nicht aus der Datenbank gelesen werden: {error}</translation>
    </message>
    <message>
        <source>Not kicked: {name} is no longer online</source>
        <translation>Nicht hinausgeworfen: {name} ist nicht mehr online</translation>
    </message>
    <message>
        <source>Notice not sent: there is no room {room} any more</source>
        <translation>Hinweis nicht gesendet: Den Raum {room} gibt es nicht mehr</translation>
    </message>
    <message>
        <source>Notice not sent: {name} is no longer online</source>
        <translation>Hinweis nicht gesendet: {name} ist nicht mehr online</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message numerus="yes">
        <source>%n session(s)</source>
        <translation>
            <numerusform>%n Sitzung</numerusform>
            <numerusform>%n Sitzungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n oldest not listed)</source>
        <translation>
            <numerusform>(die älteste ist nicht aufgeführt)</numerusform>
            <numerusform>(die %n ältesten sind nicht aufgeführt)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n Nachricht</numerusform>
            <numerusform>%n Nachrichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Serving</name>
    <message>
        <source>Password set: new members must give it</source>
        <translation>Passwort gesetzt: Neue Mitglieder müssen es angeben</translation>
    </message>
    <message>
        <source>Password removed: anyone who can connect may join</source>
        <translation>Passwort entfernt: Jeder, der sich verbinden kann, darf beitreten</translation>
    </message>
    <message>
        <source>The server&apos;s name was not changed</source>
        <translation>Der Name des Servers wurde nicht geändert</translation>
    </message>
</context>
<context>
    <name>SessionTable</name>
    <message>
        <source>online for {duration}</source>
        <translation>seit {duration} online</translation>
    </message>
    <message>
        <source>{state} after {duration}</source>
        <translation>{state} nach {duration}</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(kein Name)</translation>
    </message>
    <message>
        <source>{name} from {address} (run {run})</source>
        <translation>{name} von {address} (Lauf {run})</translation>
    </message>
    <message>
        <source>{name} from {address}</source>
        <translation>{name} von {address}</translation>
    </message>
    <message>
        <source>connected {start}, {lasted}</source>
        <translation>verbunden {start}, {lasted}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Connected at</source>
        <translation>Verbunden um</translation>
    </message>
    <message>
        <source>Disconnected at</source>
        <translation>Getrennt um</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>left</source>
        <translation>gegangen</translation>
    </message>
    <message>
        <source>dropped</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>kicked</source>
        <translation>hinausgeworfen</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>too slow</source>
        <translation>zu langsam</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>server stopped</source>
        <translation>Server gestoppt</translation>
    </message>
    <message>
        <source>reconnected</source>
        <translation>neu verbunden</translation>
    </message>
    <message>
        <source>refused: full</source>
        <translation>abgewiesen: voll</translation>
    </message>
    <message>
        <source>refused: name</source>
        <translation>abgewiesen: Name</translation>
    </message>
    <message>
        <source>refused: password</source>
        <translation>abgewiesen: Passwort</translation>
    </message>
    <message>
        <source>refused: busy</source>
        <translation>abgewiesen: ausgelastet</translation>
    </message>
    <message>
        <source>refused: not TLS</source>
        <translation>abgewiesen: kein TLS</translation>
    </message>
    <message>
        <source>{state}, away: {message}</source>
        <translation>{state}, abwesend: {message}</translation>
    </message>
    <message>
        <source>{state}, away</source>
        <translation>{state}, abwesend</translation>
    </message>
</context>
<context>
    <name>SessionTimeline</name>
    <message>
        <source>No connections yet</source>
        <translation>Noch keine Verbindungen</translation>
    </message>
</context>
<context>
    <name>ShortcutTable</name>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>List the keyboard shortcuts</source>
        <translation>Tastenkürzel auflisten</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
</context>
<context>
    <name>StatusCounts</name>
    <message>
        <source>{online}/{limit} online</source>
        <translation>{online}/{limit} online</translation>
    </message>
    <message>
        <source>{online} online (no limit)</source>
        <translation>{online} online (unbegrenzt)</translation>
    </message>
    <message>
        <source>{count} · not listening</source>
        <translation>{count} · nicht gestartet</translation>
    </message>
    <message>
        <source>{count} · listening on {address}</source>
        <translation>{count} · erreichbar unter {address}</translation>
    </message>
    <message>
        <source>· {rate} msg/s</source>
        <translation>· {rate} Nachr./s</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <source>Server status</source>
        <translation>Serverstatus</translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation>Der Server wird gefragt…</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>&amp;All runs</source>
        <translation>&amp;Alle Läufe</translation>
    </message>
    <message>
        <source>Also list the sessions of the server&apos;s earlier runs, from its database</source>
        <translation>Auch die Sitzungen früherer Läufe des Servers aus seiner Datenbank auflisten</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>&amp;Newer</source>
        <translation>&amp;Neuere</translation>
    </message>
    <message>
        <source>&amp;Older</source>
        <translation>Ä&amp;ltere</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) in all runs kept by the server</source>
        <translation>
            <numerusform>%n Verbindung in allen Läufen, die der Server aufbewahrt</numerusform>
            <numerusform>%n Verbindungen in allen Läufen, die der Server aufbewahrt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) since the server started at {time}</source>
        <translation>
            <numerusform>%n Verbindung seit dem Start des Servers um {time}</numerusform>
            <numerusform>%n Verbindungen seit dem Start des Servers um {time}</numerusform>
        </translation>
    </message>
    <message>
        <source>{online}/{limit} online</source>
        <translation>{online}/{limit} online</translation>
    </message>
    <message>
        <source>{online} online</source>
        <translation>{online} online</translation>
    </message>
    <message>
        <source> · page {page} of {pages} (newest first)</source>
        <translation> · Seite {page} von {pages} (neueste zuerst)</translation>
    </message>
</context>
</TS>
