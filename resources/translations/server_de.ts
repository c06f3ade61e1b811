<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ServerWindow</name>
    <message>
        <source>LAN Chat Server</source>
        <translation>LAN-Chat-Server</translation>
    </message>
    <message>
        <source>{online}/{limit} online</source>
        <translation>{online}/{limit} online</translation>
    </message>
    <message>
        <source>{online} online (no limit)</source>
        <translation>{online} online (ohne Begrenzung)</translation>
    </message>
    <message>
        <source>{count} · not listening</source>
        <translation>{count} · lauscht nicht</translation>
    </message>
    <message>
        <source>{count} · listening on {address}</source>
        <translation>{count} · lauscht auf {address}</translation>
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
            <numerusform>(die älteste nicht aufgeführt)</numerusform>
            <numerusform>(die %n ältesten nicht aufgeführt)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n Nachricht</numerusform>
            <numerusform>%n Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>· {rate} msg/s</source>
        <translation>· {rate} Nachr./s</translation>
    </message>
</context>
</TS>
